/**
 * End-to-end tests of result files (`--json`, `--items`) that cannot be written: `deno task rank`
 * and `deno task eval` exit with status 2 and one message naming the flag and the path, before the
 * slow work when the path is wrong (missing folder, a directory), and without a stack trace when
 * the write itself fails (`/dev/full`).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runCli } from "./_cli.ts";

const RANK_FAST = ["--random-preset", "tiny", "--ns", "2", "--sets", "1", "--backend", "cpu"];
const noStack = (stderr: string) => assert(!/^\s+at /m.test(stderr), `a stack trace:\n${stderr}`);

Deno.test("rank --json: a missing folder or a directory exits 2 before the benchmark runs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = `${dir}/missing/rank.json`;
    const first = await runCli("cli/rank.ts", [...RANK_FAST, "--json", missing]);
    assertEquals(first.code, 2, first.stderr);
    assertEquals(
      first.stderr.trim(),
      `rank: --json ${missing}: the folder ${dir}/missing does not exist`,
    );
    assertEquals(first.stdout, ""); // nothing ran: no backend, no markdown
    const again = await runCli("cli/rank.ts", [...RANK_FAST, "--json", dir]);
    assertEquals(again.code, 2, again.stderr);
    assertEquals(again.stderr.trim(), `rank: --json ${dir}: is a directory; give a file name`);
    assertEquals(Array.from(Deno.readDirSync(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rank --json: a good path gets the JSON, /dev/full a named error (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ok = await runCli("cli/rank.ts", [...RANK_FAST, "--json", `${dir}/rank.json`]);
    assertEquals(ok.code, 0, ok.stderr);
    const written = JSON.parse(await Deno.readTextFile(`${dir}/rank.json`));
    assert(Array.isArray(written.rows) && written.rows.length > 0);
    assertEquals(Array.from(Deno.readDirSync(dir)).map((e) => e.name), ["rank.json"]);
    if ((await Deno.stat("/dev/full").catch(() => null))?.isCharDevice) {
      const full = await runCli("cli/rank.ts", [...RANK_FAST, "--json", "/dev/full"]);
      assertEquals(full.code, 2, full.stderr);
      assertStringIncludes(
        full.stderr,
        "rank: --json /dev/full: cannot write: No space left on device (os error 28)",
      );
      noStack(full.stderr);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("eval --json / --items: an unwritable path exits 2 before the checkpoint is loaded", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const checkpoint = "checkpoints/warmstart-small";
    const args = [checkpoint, "--test-size", "2", "--ks", "1", "--calibration-sets", "0"];
    const json = await runCli("cli/eval.ts", [...args, "--json", `${dir}/no/eval.json`]);
    assertEquals(json.code, 2, json.stderr);
    assertStringIncludes(
      json.stderr,
      `eval: --json ${dir}/no/eval.json: the folder ${dir}/no does not exist`,
    );
    assert(!json.stderr.includes("eval: backend"), "the check came after the backend started");
    noStack(json.stderr);
    const items = await runCli("cli/eval.ts", [...args, "--items", dir]);
    assertEquals(items.code, 2, items.stderr);
    assertStringIncludes(items.stderr, `eval: --items ${dir}: is a directory`);
    noStack(items.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
