import { assert, assertAlmostEquals, assertEquals, assertMatch } from "@std/assert";
import { initBackend } from "../model/backend.ts";
import { readJsonlRecords } from "../train/run_dir.ts";
import { withoutTimings } from "../train/step.ts";
import { runCli } from "../tests/_cli.ts";
import { writeTinyJudge, writeTinyPolicyStart } from "./_testing.ts";

/** A policy run small enough for CI: tiny model, 2 prompts x n a step, 8 held-out prompts. */
function tinyPolicyArgs(dir: string, name: string, extra: string[] = []): string[] {
  return [
    "--policy-start",
    `${dir}/start`,
    "--run-dir",
    dir,
    "--name",
    name,
    "--prompts-per-step",
    "2",
    "--steps",
    "4",
    "--eval-every",
    "2",
    "--eval-prompts",
    "8",
    "--eval-samples",
    "2",
    "--sample-every",
    "1",
    "--checkpoint-every",
    "2",
    ...extra,
  ];
}

type Line = Record<string, number | string>;

async function fixtures(): Promise<string> {
  await initBackend("wasm");
  const dir = await Deno.makeTempDir({ prefix: "policy-test-" });
  await writeTinyPolicyStart(`${dir}/start`);
  await writeTinyJudge(`${dir}/irpm`, "pointwise");
  await writeTinyJudge(`${dir}/pairwise`, "pairwise");
  await writeTinyJudge(`${dir}/scalar`, "scalar");
  return dir;
}

Deno.test("deno task policy: every judge kind; quality is the mean of the traced answers; calls are n, n k or n(n-1) per prompt", async () => {
  const dir = await fixtures();
  try {
    const n = 3, prompts = 2;
    const cases: [string, string[], number][] = [
      ["oracle", [], 0],
      ["irpm", ["--judge-checkpoint", `${dir}/irpm`], prompts * n],
      ["irpm", ["--judge-checkpoint", `${dir}/irpm`, "--votes", "2"], prompts * n * 2],
      ["pairwise", ["--judge-checkpoint", `${dir}/pairwise`], prompts * n * (n - 1)],
      ["scalar", ["--judge-checkpoint", `${dir}/scalar`], prompts * n],
    ];
    for (const [judge, extra, calls] of cases) {
      const name = `${judge}-${extra.length}`;
      const out = await runCli(
        "cli/policy.ts",
        tinyPolicyArgs(dir, name, ["--judge", judge, "--samples-per-prompt", String(n), ...extra]),
      );
      assertEquals(out.code, 0, out.stderr);
      assertMatch(out.stdout, /policy: done in .*held-out greedy quality/);
      const lines = await readJsonlRecords<Line>(`${dir}/${name}/metrics.jsonl`);
      const samples = await readJsonlRecords<Line>(`${dir}/${name}/samples.jsonl`);
      const train = lines.filter((l) => l.kind === "train");
      assertEquals(train.length, 4);
      for (const line of train) {
        const mine = samples.filter((s) => s.step === line.step);
        assertEquals(mine.length, prompts * n, `${name} step ${line.step}`);
        const mean = mine.reduce((a, s) => a + Number(s.quality), 0) / mine.length;
        assertAlmostEquals(Number(line["policy/quality"]), mean, 1e-12);
        assertEquals(line["judge/calls"], calls, `${name}: judge calls per step`);
        if (judge === "oracle") {
          // the oracle's reward is the quality itself
          assert(mine.every((s) => s.judgeReward === s.quality));
        }
        if (judge === "pairwise") {
          // win shares of a group average 1/2
          for (let p = 0; p < prompts; p++) {
            const group = mine.slice(p * n, (p + 1) * n).map((s) => Number(s.reward));
            assertAlmostEquals(group.reduce((a, x) => a + x, 0) / n, 0.5, 1e-12);
          }
        }
      }
      // each eval line is the mean of its per-prompt file
      for (const line of lines.filter((l) => l.kind === "eval")) {
        const items = await readJsonlRecords<Line>(
          `${dir}/${name}/eval/step-${String(line.step).padStart(6, "0")}.jsonl`,
        );
        assertEquals(items.length, 8);
        const mean = items.reduce((a, i) => a + Number(i.quality), 0) / items.length;
        assertAlmostEquals(Number(line["eval/quality"]), mean, 1e-12);
      }
      assertEquals(lines.filter((l) => l.kind === "eval").map((l) => l.step), [0, 2, 4]);
      const report = await Deno.readTextFile(`${dir}/${name}/report.html`);
      assertMatch(report, /Step 4 of 4 on (wasm|blas)/); // the default backend, auto
      assertMatch(report, /Reward-hacking (flags|check)/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task policy: a missing or wrong-kind judge checkpoint exits 2 naming it, before any run directory exists", async () => {
  const dir = await fixtures();
  try {
    const missing = await runCli(
      "cli/policy.ts",
      tinyPolicyArgs(dir, "a", ["--judge", "irpm", "--judge-checkpoint", `${dir}/nothing`]),
    );
    assertEquals(missing.code, 2);
    assertMatch(missing.stderr, new RegExp(`--judge-checkpoint ${dir}/nothing: .*missing`));
    const wrong = await runCli(
      "cli/policy.ts",
      tinyPolicyArgs(dir, "b", ["--judge", "irpm", "--judge-checkpoint", `${dir}/scalar`]),
    );
    assertEquals(wrong.code, 2);
    assertMatch(
      wrong.stderr,
      new RegExp(
        `--judge-checkpoint ${dir}/scalar: a scalar checkpoint, but --judge irpm needs a pointwise one`,
      ),
    );
    const none = await runCli("cli/policy.ts", tinyPolicyArgs(dir, "c", ["--judge", "pairwise"]));
    assertEquals(none.code, 2);
    assertMatch(none.stderr, /--judge pairwise needs --judge-checkpoint/);
    // a GRM checkpoint is not a policy start
    const notPolicy = await runCli("cli/policy.ts", [
      ...tinyPolicyArgs(dir, "d"),
      "--policy-start",
      `${dir}/irpm`,
    ]);
    assertEquals(notPolicy.code, 2);
    assertMatch(notPolicy.stderr, /not a policy warm-start/);
    for (const name of ["a", "b", "c", "d"]) {
      assertEquals(await Deno.stat(`${dir}/${name}`).then(() => true, () => false), false, name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task policy --resume: a run stopped at step 2 and resumed logs the same metrics as one run through", async () => {
  const dir = await fixtures();
  try {
    const judge = ["--judge", "irpm", "--judge-checkpoint", `${dir}/irpm`, "--votes", "2"];
    const whole = await runCli("cli/policy.ts", tinyPolicyArgs(dir, "whole", judge));
    assertEquals(whole.code, 0, whole.stderr);
    const cut = await runCli(
      "cli/policy.ts",
      tinyPolicyArgs(dir, "cut", [...judge, "--stop-after", "2"]),
    );
    assertEquals(cut.code, 0, cut.stderr);
    assertMatch(cut.stdout, /stopped after step 2/);
    const resumed = await runCli("cli/policy.ts", ["--resume", `${dir}/cut`]);
    assertEquals(resumed.code, 0, resumed.stderr);
    assertMatch(resumed.stdout, /resuming .* at step 2/);
    const lines = async (name: string) =>
      (await readJsonlRecords<Line>(`${dir}/${name}/metrics.jsonl`))
        .filter((l) => l.kind === "train" || l.kind === "eval")
        .map((l) => withoutTimings(l));
    assertEquals(await lines("cut"), await lines("whole"));
    const again = await runCli("cli/policy.ts", ["--resume", `${dir}/cut`]);
    assertMatch(again.stdout, /already finished all 4 steps/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
