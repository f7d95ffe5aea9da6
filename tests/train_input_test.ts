/**
 * Bad input to `deno task train` (issue 9): each case exits with status 2 and one line that names
 * the file or flag, before anything is written; settings that could not train are refused; a small
 * data file trains with a note instead of crashing.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { messageLines, runCli, TINY_TRAIN, withTempDir } from "./_cli.ts";

const train = (args: string[]) => runCli("cli/train.ts", args);

const TINY = [...TINY_TRAIN, "--steps", "2", "--eval-every", "0"];

const inTemp = (fn: (dir: string) => Promise<void>) => withTempDir(fn, "irpm-input-");

/** One refused invocation: status 2, one line naming `expected`, nothing in the run dir. */
async function refused(args: string[], expected: string, runDir: string): Promise<void> {
  const out = await train([...TINY, ...args, "--run-dir", runDir, "--name", "r"]);
  assertEquals(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
  assertEquals(messageLines(out.stderr).length, 1, out.stderr);
  assertStringIncludes(out.stderr, expected);
  assert(!out.stderr.includes("    at "), out.stderr);
  let entries: string[] = [];
  try {
    entries = [...Deno.readDirSync(runDir)].map((e) => e.name);
  } catch { /* no run dir at all */ }
  assertEquals(entries.filter((e) => !/\.jsonl?$/.test(e)), [], `${args.join(" ")} wrote files`);
}

Deno.test("train: empty, missing or fully filtered data files are named errors", async () => {
  await inTemp(async (dir) => {
    await Deno.writeTextFile(`${dir}/empty.jsonl`, "");
    await refused(
      ["--data", "helpsteer3", "--data-path", `${dir}/empty.jsonl`],
      `${dir}/empty.jsonl: no rows (an empty file)`,
      dir,
    );
    await refused(
      ["--data", "pairwise", "--data-path", `${dir}/empty.jsonl`],
      `${dir}/empty.jsonl: no rows (an empty file)`,
      dir,
    );
    await refused(
      ["--data", "helpsteer3", "--data-path", `${dir}/missing.jsonl`],
      `${dir}/missing.jsonl`,
      dir,
    );
    // every row of the sample is a tie or weak once --min-strength is 3 ... except strength 3
    const rows = (await Deno.readTextFile("data/samples/helpsteer3_sample.jsonl")).trim()
      .split("\n").map((l) => JSON.parse(l)).filter((r) => Math.abs(r.overall_preference) < 3);
    await Deno.writeTextFile(`${dir}/weak.jsonl`, rows.map((r) => JSON.stringify(r)).join("\n"));
    await refused(
      ["--data", "helpsteer3", "--data-path", `${dir}/weak.jsonl`, "--min-strength", "3"],
      `${dir}/weak.jsonl: no pairs left (read ${rows.length} rows; dropped`,
      dir,
    );
    await refused(
      [
        "--data",
        "helpsteer3",
        "--data-path",
        "data/samples/helpsteer3_sample.jsonl",
        "--test-path",
        `${dir}/empty.jsonl`,
      ],
      `${dir}/empty.jsonl: no rows`,
      dir,
    );
  });
});

Deno.test("train: settings that cannot train are refused with the reason", async () => {
  await inTemp(async (dir) => {
    await refused(["--top-p", "0"], "--top-p 0: keeps no token to sample", dir);
    await refused(["--group-size", "1"], "--group-size 1: a group of one has no relative", dir);
    await refused(["--temperature", "0"], "--temperature 0: at 0 all G rollouts are the same", dir);
    await refused(
      ["--max-new-tokens", "500"],
      "--max-new-tokens 500 leaves -436 of the tiny preset's 64-token context",
      dir,
    );
    await refused(["--steps", "0x10"], '--steps: expected an integer, got "0x10"', dir);
    // the same rules hold for a --config file
    await Deno.writeTextFile(`${dir}/c.json`, JSON.stringify({ topP: 0 }));
    await refused(["--config", `${dir}/c.json`], "--top-p 0", dir);
  });
});

Deno.test("train: the HelpSteer3 sample alone trains, with notes on the split and truncation", async () => {
  await inTemp(async (dir) => {
    const out = await train([
      ...TINY,
      "--data",
      "helpsteer3",
      "--data-path",
      "data/samples/helpsteer3_sample.jsonl",
      "--run-dir",
      dir,
      "--name",
      "hs",
    ]);
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(out.stdout, "4 training pairs, 2 held-out pairs (helpsteer3)");
    assertStringIncludes(out.stdout, "too few to hold out --test-size 8: held out 2 (20%)");
    assertStringIncludes(out.stdout, "12 of 12 judge prompts are longer than the 52 tokens");
    const config = JSON.parse(await Deno.readTextFile(`${dir}/hs/config.json`));
    assertEquals(config.config.name, "hs");
  });
});

Deno.test("train: repeated pairs are dropped, and held-out pairs that are training pairs too", async () => {
  await inTemp(async (dir) => {
    const lines = (await Deno.readTextFile("data/samples/helpsteer3_sample.jsonl")).trim()
      .split("\n");
    const kept = lines.filter((l) => Math.abs(JSON.parse(l).overall_preference) >= 2);
    // the training file repeats its first kept row at the end with the opposite label
    const swapped = JSON.parse(kept[0]);
    [swapped.response1, swapped.response2] = [swapped.response2, swapped.response1];
    await Deno.writeTextFile(`${dir}/train.jsonl`, [...lines, JSON.stringify(swapped)].join("\n"));
    // held out: two rows of the training file and one new row
    const fresh = { ...JSON.parse(kept[1]), response1: "a brand new answer" };
    await Deno.writeTextFile(
      `${dir}/test.jsonl`,
      [kept[0], kept[2], JSON.stringify(fresh)].join("\n"),
    );
    const args = [
      ...TINY,
      "--data",
      "helpsteer3",
      "--data-path",
      `${dir}/train.jsonl`,
      "--run-dir",
      dir,
      "--name",
      "r",
    ];
    const out = await train([...args, "--test-path", `${dir}/test.jsonl`]);
    assertEquals(out.code, 0, out.stderr);
    const first = lines.indexOf(kept[0]) + 1;
    assertStringIncludes(
      out.stdout,
      `--data-path dropped 1 duplicate pair (line ${
        lines.length + 1
      } repeats line ${first} with sides swapped)`,
    );
    assertStringIncludes(out.stdout, "6 training pairs, 1 held-out pairs (helpsteer3)");
    assertStringIncludes(
      out.stdout,
      `held-out ${dir}/test.jsonl: dropped 2 pairs that also appear`,
    );
    const config = JSON.parse(await Deno.readTextFile(`${dir}/r/config.json`));
    assertEquals(config.data.train.duplicates_dropped, 1);
    assertEquals(config.data.test.overlap_with_train_dropped, 2);
    // a held-out file made only of training pairs is refused
    await Deno.writeTextFile(`${dir}/test.jsonl`, [kept[0], kept[2]].join("\n"));
    const all = await train([...args, "--name", "r2", "--test-path", `${dir}/test.jsonl`]);
    assertEquals(all.code, 2, all.stderr);
    assertStringIncludes(all.stderr, "every held-out pair also appears in --data-path");
  });
});

Deno.test("train --test-min-strength 1: weak held-out pairs are evaluated and split out", async () => {
  await inTemp(async (dir) => {
    const out = await train([...TINY, "--test-min-strength", "1", "--run-dir", dir, "--name", "w"]);
    assertEquals(out.code, 0, out.stderr);
    const lines = (await Deno.readTextFile(`${dir}/w/metrics.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l));
    const last = lines.filter((l) => l.kind === "eval").at(-1);
    const items = (await Deno.readTextFile(`${dir}/w/eval/step-000002.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l));
    const weak = items.filter((p) => p.strength === 1);
    assert(weak.length > 0, "weak pairs are held out");
    const mean = (xs: { outcome: number }[]) => xs.reduce((a, x) => a + x.outcome, 0) / xs.length;
    assertEquals(last["eval/weak_accuracy"], mean(weak)); // traceable to the per-pair lines
    assertEquals(last["eval/strong_accuracy"], mean(items.filter((p) => p.strength >= 2)));
    const bad = await train([
      ...TINY,
      "--data",
      "helpsteer3",
      "--data-path",
      "data/samples/helpsteer3_sample.jsonl",
      "--test-min-strength",
      "1",
    ]);
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "--test-min-strength needs a separate held-out file");
  });
});
