/**
 * End-to-end tests of `deno task train` on tiny configs: the run directory, refusing to overwrite,
 * resume reproducing an uninterrupted run, NaN/Inf handling, bad flags, and a HelpSteer3 file.
 */
import { withoutTimings } from "../train/step.ts";
import { assert, assertEquals, assertGreater, assertStringIncludes } from "@std/assert";
import { runCli, TINY_TRAIN } from "./_cli.ts";

const train = (args: string[]) => runCli("cli/train.ts", args);

const TINY = [...TINY_TRAIN, "--warmup-steps", "1", "--lr", "1e-2"];

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("train: a tiny run writes the run directory, and refuses to overwrite it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const args = [
      ...TINY,
      "--steps",
      "3",
      "--eval-every",
      "2",
      "--sample-every",
      "1",
      "--run-dir",
      dir,
      "--name",
      "r",
    ];
    const first = await train(args);
    assertEquals(first.code, 0, first.stderr);
    for (
      const f of [
        "config.json",
        "metrics.jsonl",
        "samples.jsonl",
        "report.html",
        "checkpoint/model.safetensors",
        "checkpoint/checkpoint.json",
        "reference/model.safetensors",
        "eval/step-000000.jsonl",
        "eval/step-000003.jsonl",
      ]
    ) {
      assert((await Deno.stat(`${dir}/r/${f}`)).isFile, f);
    }
    const lines = await readLines(`${dir}/r/metrics.jsonl`);
    assertEquals(lines.filter((l) => l.kind === "train").map((l) => l.step), [1, 2, 3]);
    assertEquals(lines.filter((l) => l.kind === "eval").map((l) => l.step), [0, 2, 3]);
    const train1 = lines.find((l) => l.kind === "train")!;
    for (
      const key of [
        "reward",
        "rollout_win_rate",
        "score/variance",
        "kl",
        "clip_ratio/region_mean",
        "entropy",
        "grad_norm",
        "learning_rate",
        "tokens_per_second",
        "frac_reward_zero_std",
        "format_violation_rate",
      ]
    ) {
      assert(key in train1, `metrics.jsonl lacks ${key}`);
    }
    const samples = await readLines(`${dir}/r/samples.jsonl`);
    assertEquals(samples.length, 3 * 2 * 2 * 2); // steps x pairs x sides x G
    const evalItems = await readLines(`${dir}/r/eval/step-000003.jsonl`);
    assertEquals(evalItems.length, 4);
    const last = lines.filter((l) => l.kind === "eval").at(-1)!;
    const traced = evalItems.reduce((a, p) => a + (p.outcome as number), 0) / evalItems.length;
    assertEquals(last["eval/accuracy"], traced); // the printed number is the mean of the per-pair outcomes
    const again = await train(args);
    assertEquals(again.code, 2);
    assertStringIncludes(again.stderr, "already exists");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train: --resume continues with the same metrics as an uninterrupted run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const common = [
      ...TINY,
      "--steps",
      "4",
      "--eval-every",
      "2",
      "--checkpoint-every",
      "2",
      "--run-dir",
      dir,
    ];
    const straight = await train([...common, "--name", "straight"]);
    assertEquals(straight.code, 0, straight.stderr);
    const part = await train([...common, "--name", "split", "--stop-after", "2"]);
    assertEquals(part.code, 0, part.stderr);
    assertStringIncludes(part.stdout, "--resume");
    const resumed = await train(["--resume", `${dir}/split`]);
    assertEquals(resumed.code, 0, resumed.stderr);
    const strip = withoutTimings;
    const noSessions = (l: Record<string, unknown>) => l.kind !== "session"; // wall times differ
    const a = (await readLines(`${dir}/straight/metrics.jsonl`)).filter(noSessions).map(strip);
    const b = (await readLines(`${dir}/split/metrics.jsonl`)).filter(noSessions).map(strip);
    assertEquals(b, a);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train: NaN/Inf steps are skipped, then training stops with a clear error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await train([
      ...TINY,
      "--steps",
      "20",
      "--lr",
      "1e6",
      "--grad-clip",
      "0",
      "--warmup-steps",
      "0",
      "--max-bad-steps",
      "2",
      "--eval-every",
      "0",
      "--run-dir",
      dir,
      "--name",
      "nan",
    ]);
    assertEquals(out.code, 1);
    assertStringIncludes(out.stderr, "consecutive steps with a NaN/Inf loss or gradient");
    const skips = (await readLines(`${dir}/nan/metrics.jsonl`)).filter((l) => l.kind === "skip");
    assertEquals(skips.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train: bad flags are usage errors (exit 2) naming the flag", async () => {
  const unknown = await train(["--desing", "mean"]);
  assertEquals(unknown.code, 2);
  assertStringIncludes(unknown.stderr, '"--desing"');
  const bad = await train(["--design", "average"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "--design");
  const missing = await train(["--data", "helpsteer3"]);
  assertEquals(missing.code, 2);
  assertStringIncludes(missing.stderr, "--data-path");
  const help = await train(["--help"]);
  assertEquals(help.code, 0);
  for (
    const flag of [
      "--design",
      "--margin",
      "--kl-estimator",
      "--loss-aggregation",
      "--resume",
      "--warm-start",
    ]
  ) {
    assertStringIncludes(help.stdout, flag);
  }
});

Deno.test("train: runs on a HelpSteer3-format file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await train([
      ...TINY,
      "--data",
      "helpsteer3",
      "--data-path",
      "data/samples/helpsteer3_sample.jsonl",
      "--test-size",
      "1",
      "--min-strength",
      "1",
      "--steps",
      "2",
      "--eval-every",
      "0",
      "--run-dir",
      dir,
      "--name",
      "hs3",
    ]);
    assertEquals(out.code, 0, out.stderr);
    const config = JSON.parse(await Deno.readTextFile(`${dir}/hs3/config.json`));
    assertGreater(config.data.train.kept, 0);
    const bad = await train([
      ...TINY,
      "--data",
      "helpsteer3",
      "--data-path",
      "data/samples/rm_bench_sample.jsonl",
      "--run-dir",
      dir,
      "--name",
      "bad",
    ]);
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "rm_bench_sample.jsonl:1");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train --model scalar-bt | pairwise: a baseline run directory whose eval traces give its numbers", async () => {
  const { loadJudgeModel } = await import("../baselines/judge_checkpoint.ts");
  const { disposeParams } = await import("../model/params.ts");
  const dir = await Deno.makeTempDir();
  try {
    for (const model of ["scalar-bt", "pairwise"]) {
      const run = await train([
        ...TINY,
        "--model",
        model,
        "--pairwise-warm-start-steps",
        "2",
        "--steps",
        "3",
        "--run-dir",
        dir,
        "--name",
        model,
      ]);
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(run.stdout, `${model} baseline done`);
      const lines = await readLines(`${dir}/${model}/metrics.jsonl`);
      assertEquals(lines.filter((l) => l.kind === "train").map((l) => l.step), [1, 2, 3]);
      const evals = lines.filter((l) => l.kind === "eval");
      assertEquals(evals.length, 1);
      const items = await readLines(`${dir}/${model}/eval/step-000003.jsonl`);
      assertEquals(items.length, evals[0]["eval/n"]);
      // the eval line's accuracy is the mean of the per-pair outcomes in the trace
      const mean = items.reduce((a, i) => a + (i.irpm as number), 0) / items.length;
      assert(Math.abs(mean - (evals[0]["eval/accuracy"] as number)) < 1e-12);
      const judge = await loadJudgeModel(`${dir}/${model}/checkpoint`);
      assertEquals(judge.kind, model === "scalar-bt" ? "scalar" : "pairwise");
      disposeParams(judge.params);
      const html = await Deno.readTextFile(`${dir}/${model}/report.html`);
      assertStringIncludes(html, "Evaluations");
    }
    // a baseline run cannot be resumed, and a time box is refused for it
    const resumed = await train(["--resume", `${dir}/scalar-bt`]);
    assertEquals(resumed.code, 2);
    assertStringIncludes(resumed.stderr, "baseline run");
    const boxed = await train([
      ...TINY,
      "--model",
      "scalar-bt",
      "--stop-after",
      "1",
      "--run-dir",
      dir,
    ]);
    assertEquals(boxed.code, 2);
    assertStringIncludes(boxed.stderr, "--stop-after");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
