import { assert, assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../model/backend.ts";
import { disposeParams } from "../model/params.ts";
import { CheckpointError } from "../checkpoint/safetensors.ts";
import { loadJudgeModel, MODEL_KINDS } from "../baselines/judge_checkpoint.ts";
import { writeRandomJudge } from "./_testing.ts";
import { loadEvalSet } from "./eval_set.ts";
import { evaluateJudge } from "./run_eval.ts";
import { evalItems, evalJson, evalMarkdown } from "./report.ts";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

Deno.test("evaluateJudge: every kind end to end on tiny random checkpoints; numbers trace back", async () => {
  await initBackend("cpu");
  const dir = await Deno.makeTempDir();
  try {
    const set = await loadEvalSet("synthetic", { testSize: 5 });
    const reports = [];
    for (const kind of MODEL_KINDS) {
      await writeRandomJudge(`${dir}/${kind}`, kind, 3);
      const model = await loadJudgeModel(`${dir}/${kind}`);
      assertEquals(model.kind, kind);
      const progress: string[] = [];
      const report = await evaluateJudge({ ...model, name: kind }, set, {
        ks: [1, 2],
        maxNewTokens: kind === "pointwise" ? 12 : undefined,
        calibration: { sets: 2, n: 3 },
        onProgress: (done, total, phase) => progress.push(`${phase} ${done}/${total}`),
      });
      disposeParams(model.params);
      reports.push(report);
      const e = report.evaluation;
      // Traceability: the overall figures are the means of the per-pair trace fields.
      const traces = e.traces as {
        irpm: number;
        strict: number;
        tie: boolean;
        parseError: boolean;
      }[];
      assertEquals(traces.length, 5);
      assertEquals(e.summary.overall.accuracy, mean(traces.map((t) => t.irpm)));
      assertEquals(e.summary.overall.strictAccuracy, mean(traces.map((t) => t.strict)));
      assertEquals(
        e.summary.overall.parseErrorRate,
        mean(traces.map((t) => (t.parseError ? 1 : 0))),
      );
      assert(
        progress.length > 0 && progress.at(-1)!.endsWith(`${e.calls}/${e.calls}`),
        progress.join(),
      );
      if (kind === "scalar") {
        assertEquals([e.voting, e.calls, e.summary.overall.parseErrorRate], [null, 10, 0]);
        assertEquals(report.calibration!.pooled.n, 6); // 2 sets x 3 candidates, all scored
      } else {
        assertEquals(e.voting!.map((v) => [v.k, v.source]), [[1, "greedy"], [2, "samples"]]);
        assertEquals(e.voting![0].accuracy, e.summary.overall.accuracy); // k = 1 is the greedy run
        // pointwise: 10 distinct responses x (1 greedy + 2 samples); pairwise: 5 pairs x 2 orders x 3
        assertEquals(e.calls, 30);
      }
      assertEquals(report.calibration === null, kind === "pairwise");
    }
    const md = evalMarkdown(reports, set);
    for (const heading of ["Pairwise accuracy", "Voting@k", "Both orders", "Calibration", "Cost"]) {
      assert(md.includes(heading), heading);
    }
    const json = evalJson(reports, set) as { judges: Record<string, unknown>[] };
    assertEquals(json.judges.map((j) => j.kind), [...MODEL_KINDS]);
    assert(json.judges.every((j) => !("traces" in j)));
    assertEquals(evalItems(reports).length, 3 * 5 + 2 * 6); // pairs of 3 judges + 2 calibrations
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadJudgeModel: unknown kind and parameter mismatches name the file", async () => {
  await initBackend("cpu");
  const dir = await Deno.makeTempDir();
  try {
    await writeRandomJudge(`${dir}/s`, "scalar");
    const sidecarPath = `${dir}/s/checkpoint.json`;
    const sidecar = JSON.parse(await Deno.readTextFile(sidecarPath));
    // Claim the scalar checkpoint is a pointwise GRM: its head is then unexpected.
    await Deno.writeTextFile(
      sidecarPath,
      JSON.stringify({ ...sidecar, config: { ...sidecar.config, kind: "pointwise" } }),
    );
    await assertRejects(
      () => loadJudgeModel(`${dir}/s`),
      CheckpointError,
      'unexpected "scalarHead.weight"',
    );
    await Deno.writeTextFile(
      sidecarPath,
      JSON.stringify({ ...sidecar, config: { ...sidecar.config, kind: "listwise" } }),
    );
    await assertRejects(
      () => loadJudgeModel(`${dir}/s`),
      CheckpointError,
      "config.kind must be one of",
    );
    await writeRandomJudge(`${dir}/p`, "pointwise");
    const p = JSON.parse(await Deno.readTextFile(`${dir}/p/checkpoint.json`));
    await Deno.writeTextFile(
      `${dir}/p/checkpoint.json`,
      JSON.stringify({ ...p, config: { ...p.config, kind: "scalar" } }),
    );
    await assertRejects(
      () => loadJudgeModel(`${dir}/p`),
      CheckpointError,
      'missing "scalarHead.weight"',
    );
    await assertRejects(() => loadJudgeModel(`${dir}/none`), CheckpointError, "missing");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
