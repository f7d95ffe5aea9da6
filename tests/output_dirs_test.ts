/**
 * The one output-directory rule (train/run_dir.ts) in the other CLIs that write folders:
 * `deno task warmstart --out` and `deno task compare --run-dir` never write into or remove a folder
 * the kit did not make, and replace their own only with --force (or continue it with --reuse).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCli, withTempDir } from "./_cli.ts";

const inTemp = (fn: (dir: string) => Promise<void>) => withTempDir(fn, "irpm-out-");

async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("warmstart --out: a foreign folder is refused even with --force; its own needs --force", async () => {
  await inTemp(async (dir) => {
    await Deno.mkdir(`${dir}/mine`);
    await Deno.writeTextFile(`${dir}/mine/thesis.tex`, "x");
    for (const force of [[], ["--force"]]) {
      const r = await runCli("cli/warmstart.ts", [
        "--out",
        `${dir}/mine`,
        "--preset",
        "tiny",
        ...force,
      ]);
      assertEquals(r.code, 2, r.stderr);
      assertStringIncludes(r.stderr, `--out ${dir}/mine: exists and was not made by the kit`);
    }
    assertEquals(await listing(`${dir}/mine`), ["thesis.tex"]);
    // a kit checkpoint folder: refused without --force, and the shipped one is never the default
    await Deno.mkdir(`${dir}/ckpt`);
    await Deno.writeTextFile(`${dir}/ckpt/checkpoint.json`, '{"format":"irpm-kit-checkpoint"}');
    const again = await runCli("cli/warmstart.ts", ["--out", `${dir}/ckpt`, "--preset", "tiny"]);
    assertEquals(again.code, 2, again.stderr);
    assertStringIncludes(again.stderr, `--out ${dir}/ckpt already exists: pass --force`);
    const file = await runCli("cli/warmstart.ts", ["--out", `${dir}/mine/thesis.tex`]);
    assertEquals(file.code, 2, file.stderr);
    assertStringIncludes(file.stderr, "exists and is not a directory");
  });
});

Deno.test("compare --run-dir: foreign folders refused; an earlier comparison needs --reuse or --force", async () => {
  await inTemp(async (dir) => {
    await Deno.mkdir(`${dir}/mine`);
    await Deno.writeTextFile(`${dir}/mine/data.csv`, "a,b\n");
    const foreign = await runCli("cli/compare.ts", ["--run-dir", `${dir}/mine`, "--force"]);
    assertEquals(foreign.code, 2, foreign.stderr);
    assertStringIncludes(
      foreign.stderr,
      `--run-dir ${dir}/mine: exists and was not made by the kit`,
    );
    assertEquals(await listing(`${dir}/mine`), ["data.csv"]);
    await Deno.mkdir(`${dir}/cmp`);
    await Deno.writeTextFile(`${dir}/cmp/.irpm-run.json`, '{"kit":"irpm-kit","kind":"compare"}');
    await Deno.writeTextFile(`${dir}/cmp/compare.md`, "earlier table");
    const again = await runCli("cli/compare.ts", ["--run-dir", `${dir}/cmp`]);
    assertEquals(again.code, 2, again.stderr);
    assertStringIncludes(
      again.stderr,
      `--run-dir ${dir}/cmp already exists: continue it with deno task compare --reuse --run-dir ${dir}/cmp, or pass --force`,
    );
    assertEquals(await Deno.readTextFile(`${dir}/cmp/compare.md`), "earlier table");
  });
});
