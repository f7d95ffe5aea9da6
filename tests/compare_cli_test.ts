/**
 * End-to-end tests of `deno task compare` and `deno task rank` on a tiny budget: every row of
 * the comparison present, trainings reused with --reuse, the ranking cost table, bad flags.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runCli } from "./_cli.ts";

const cli = (file: string, args: string[]) => runCli(file, args);

const TINY = [
  "--preset=tiny",
  "--warm-start=off",
  "--steps=2",
  "--pairwise-warm-start-steps=2",
  "--calibration-sets=2",
  "--rank-sets=1",
  "--train-arg=--batch-pairs=2",
  "--train-arg=--group-size=2",
  "--train-arg=--train-size=100",
  "--train-arg=--test-size=4",
  "--train-arg=--eval-pairs=4",
  "--train-arg=--max-new-tokens=12",
];

Deno.test("compare CLI: one table with every judge; --reuse skips the trainings", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await cli("cli/compare.ts", [...TINY, "--run-dir", dir]);
    assertEquals(first.code, 0, first.stderr);
    const names = [
      "warm-start",
      "IRPM-mean",
      "IRPM-median",
      "IRPM-interval",
      "IRPM-preference",
      "scalar B-T",
      "pairwise GRM",
    ];
    const rows = first.stdout.trim().split("\n").slice(2);
    assertEquals(rows.map((r) => r.split(" | ")[0].slice(2)), names);
    assertStringIncludes(first.stdout, "| calls to rank 8 |");
    const json = JSON.parse(await Deno.readTextFile(`${dir}/compare.json`));
    assertEquals(json.rows.map((r: { callsToRank8: number }) => r.callsToRank8), [
      8,
      8,
      8,
      8,
      8,
      8,
      56,
    ]);
    assertEquals(json.config.steps, 2);
    assert((await Deno.stat(`${dir}/irpm-median/checkpoint/model.safetensors`)).isFile);
    // The children trained with the pinned config (the --train-arg values included).
    const child = JSON.parse(await Deno.readTextFile(`${dir}/irpm-median/config.json`)).config;
    assertEquals([child.steps, child.batchPairs, child.groupSize, child.design], [
      2,
      2,
      2,
      "median",
    ]);
    const again = await cli("cli/compare.ts", [...TINY, "--run-dir", dir, "--reuse"]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(again.stderr.includes("compare: training"), false);
    assertEquals(again.stdout.split("\n").length, first.stdout.split("\n").length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compare and rank CLIs: bad flags exit 2 with one message", async () => {
  const cases: [string, string[], string][] = [
    ["cli/compare.ts", ["--designs", "mean,best"], '--designs: unknown design "best"'],
    ["cli/compare.ts", ["--preset", "tiny"], "--warm-start shipped: no shipped checkpoint"],
    ["cli/compare.ts", ["--warm-start", "/nowhere"], "--warm-start /nowhere: no model.safetensors"],
    ["cli/compare.ts", ["--train-arg", "--group-size=0"], "--group-size"],
    ["cli/rank.ts", [], "no checkpoint given"],
    [
      "cli/rank.ts",
      ["--random-preset", "tiny", "--ns", "1,4"],
      "--ns: expected comma-separated integers >= 2",
    ],
    ["cli/rank.ts", ["--random-preset", "huge"], '--random-preset: unknown model preset "huge"'],
  ];
  const dir = await Deno.makeTempDir();
  try {
    for (const [file, args, message] of cases) {
      // a refused comparison writes nothing into its run directory (not even the pinned config)
      const runDir = `${dir}/run`;
      const extra = file === "cli/compare.ts" ? ["--run-dir", runDir] : [];
      const r = await cli(file, [...args, ...extra]);
      assertEquals(r.code, 2, `${file} ${args.join(" ")}: ${r.stderr}`);
      assertStringIncludes(r.stderr, message);
      assertEquals(await Deno.stat(runDir).then(() => true, () => false), false, runDir);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rank CLI: cost benchmark on random judges of every kind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await cli("cli/rank.ts", [
      "--random-preset",
      "tiny",
      "--ns",
      "2,4",
      "--sets",
      "2",
      "--json",
      `${dir}/rank.json`,
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertStringIncludes(r.stdout, "## Cost ratios against the pointwise GRM");
    const { rows, ratios } = JSON.parse(await Deno.readTextFile(`${dir}/rank.json`));
    assertEquals(rows.length, 6);
    const pairwise4 = ratios.find((x: { n: number; judge: string }) =>
      x.n === 4 && x.judge.endsWith("pairwise")
    );
    assertEquals(pairwise4.callRatio, 3); // 4 x 3 ordered pairs vs 4 candidates
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
