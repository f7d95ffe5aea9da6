import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  type AblationResults,
  baselineBestCheck,
  curveSeries,
  estimatorTrend,
  fineGroupSizeCheck,
  groupSizeCheck,
  klCheck,
  loadAblationResults,
  pairedComparison,
  rewardDesignCheck,
  weakPreferenceCheck,
} from "./ablation_results.ts";
import {
  CURVE_TRAIN_FIELDS,
  type MeanSe,
  type SweepSummaryRow,
} from "../../train/sweep_summary.ts";

const m = (mean: number | null, se: number | null = null, n = 3): MeanSe => ({ mean, se, n });

/** A summary row with the metrics the checks read; the others null. */
function row(
  settings: Record<string, unknown>,
  values: { accuracy: number; speed?: number; ceiling?: number; diff?: [number, number] | null },
): SweepSummaryRow {
  const none = m(null, null, 0);
  return {
    group: Object.entries(settings).map(([k, v]) => `${k}-${v}`).join("_"),
    settings,
    seeds: [0, 1, 2],
    unfinished: 0,
    metrics: {
      accuracy: m(values.accuracy, 0.01),
      strongAccuracy: none,
      weakAccuracy: none,
      strictAccuracy: none,
      tieRate: none,
      critiqueCeiling: values.ceiling === undefined ? none : m(values.ceiling),
      scoreVariance: none,
      stepsPerSecond: values.speed === undefined ? none : m(values.speed),
      wallSeconds: none,
    },
    pairedAccuracyDiff: values.diff ? m(values.diff[0], values.diff[1]) : null,
  };
}

const results = (grid: string, rows: SweepSummaryRow[], curves: AblationResults["curves"] = []) =>
  ({ grid, claim: "", baseline: null, rows, runs: [], curves, provenance: {} }) as AblationResults;

Deno.test("groupSizeCheck: each part of claim 1 decided from the paired differences and speed", () => {
  const holds = groupSizeCheck(results("g", [
    row({ groupSize: 2 }, { accuracy: 0.75, speed: 0.8, diff: [-0.06, 0.005] }), // CI below 0
    row({ groupSize: 4 }, { accuracy: 0.81, speed: 0.4, diff: null }),
    row({ groupSize: 8 }, { accuracy: 0.815, speed: 0.2, diff: [0.005, 0.01] }), // CI spans 0
  ]));
  assertEquals(holds.verdict, "reproduced");
  assertStringIncludes(holds.parts[0], "G = 2 underperforms G = 4 (75.0% ± 1.0 vs 81.0% ± 1.0");
  const partly = groupSizeCheck(results("g", [
    row({ groupSize: 2 }, { accuracy: 0.8, speed: 0.8, diff: [-0.01, 0.01] }),
    row({ groupSize: 4 }, { accuracy: 0.81, speed: 0.4, diff: null }),
    row({ groupSize: 8 }, { accuracy: 0.85, speed: 0.2, diff: [0.04, 0.004] }), // better: gains
  ]));
  assertEquals(partly.verdict, "partly reproduced");
  assertEquals(partly.parts.map((p) => p.endsWith("holds")), [false, false, true]);
});

Deno.test("klCheck: the kit's KL 0.2 against the paper's 0.001", () => {
  const check = klCheck(results("kl", [
    row({ klCoef: 0.001 }, { accuracy: 0.76, ceiling: 0.75, diff: [-0.05, 0.01] }),
    row({ klCoef: 0.2 }, { accuracy: 0.81, ceiling: 0.83, diff: null }),
  ]));
  assertEquals(check.verdict, "reproduced");
  assertEquals(pairedComparison(m(-0.05, 0.01)).verdict, "worse");
});

Deno.test("estimatorTrend: first and last fifth of the logged steps, over seeds", () => {
  const train = (snr: number[]) =>
    snr.map((s, i) => [i + 1, ...Array(5).fill(null), 1, s, s] as (number | null)[]);
  const r = results("kl", [], [
    { cell: "a_seed-0", group: "a", seed: 0, eval: [], train: train([1, 2, 3, 4, 5]) },
    { cell: "a_seed-1", group: "a", seed: 1, eval: [], train: train([3, 2, 3, 4, 7]) },
  ]);
  (r as { provenance: Record<string, unknown> }).provenance = {
    curveColumns: { train: ["step", ...CURVE_TRAIN_FIELDS] }, // the columns the sweep ships
  };
  const trend = estimatorTrend(r, "a");
  assertEquals(trend["estimator/snr"], { first: 2, last: 6 }); // (1 + 3) / 2, (5 + 7) / 2
  assertEquals(trend["estimator/within_var"], { first: 1, last: 1 });
});

Deno.test("weakPreferenceCheck: paired strong and weak accuracy of the two filters", () => {
  const outcome = (strongAccuracy: number, weakAccuracy: number) =>
    ({ finished: true, strongAccuracy, weakAccuracy }) as never;
  const runs = [0, 1, 2].flatMap((seed) => [
    { group: "min-strength-2", seed, name: "", settings: {}, outcome: outcome(0.8, 0.6) },
    // training on weak pairs too: same strong accuracy, weak +5 to +7 points on every seed
    {
      group: "min-strength-1",
      seed,
      name: "",
      settings: {},
      outcome: outcome(0.8, 0.65 + 0.01 * seed),
    },
  ]);
  const r = {
    ...results("w", [
      row({ minStrength: 2 }, { accuracy: 0.7 }),
      row({ minStrength: 1 }, { accuracy: 0.72 }),
    ]),
    runs,
  } as AblationResults;
  r.rows.forEach((
    x,
    i,
  ) => ((x as { group: string }).group = ["min-strength-2", "min-strength-1"][i]));
  const check = weakPreferenceCheck(r);
  assertEquals(check.verdict, "partly reproduced");
  assertEquals(check.parts.map((p) => p.endsWith("holds")), [true, false]);
});

Deno.test("baselineBestCheck: a part per other cell, failing only where it beats the baseline", () => {
  const margin = results("margin", [
    row({ margin: 0 }, { accuracy: 0.78, diff: [-0.01, 0.01] }), // spans 0: no clear difference
    row({ margin: 1 }, { accuracy: 0.84, diff: [0.04, 0.005] }), // above 0: beats adaptive
    row({ margin: "adaptive" }, { accuracy: 0.8, diff: null }),
  ]);
  const check = baselineBestCheck(margin, { key: "margin", baseline: "adaptive", label: "δ" });
  assertEquals(check.verdict, "partly reproduced");
  assertEquals(check.parts.length, 2);
  assertStringIncludes(check.parts[0], "δ = 0 does not beat δ = adaptive (78.0% ± 1.0 vs 80.0%");
  assertEquals(check.parts.map((p) => p.endsWith(": holds")), [true, false]);
});

Deno.test("fineGroupSizeCheck: best-G parts, G = 2 worse, and cost falling at every step up", () => {
  const cells = (speed4: number) =>
    results("g", [
      row({ groupSize: 2 }, { accuracy: 0.75, speed: 0.8, diff: [-0.05, 0.01] }),
      row({ groupSize: 3 }, { accuracy: 0.8, speed: 0.6, diff: [-0.01, 0.01] }),
      row({ groupSize: 4 }, { accuracy: 0.81, speed: speed4, diff: null }),
      row({ groupSize: 8 }, { accuracy: 0.81, speed: 0.2, diff: [0, 0.01] }),
    ]);
  const holds = fineGroupSizeCheck(cells(0.4));
  assertEquals(holds.verdict, "reproduced");
  assertEquals(holds.parts.length, 5);
  assertStringIncludes(holds.parts[4], "G 2: 0.800, G 3: 0.600, G 4: 0.400, G 8: 0.200");
  // G 4 faster than G 3: the cost part fails
  assertEquals(fineGroupSizeCheck(cells(0.7)).parts.map((p) => p.endsWith(": holds")), [
    true,
    true,
    true,
    true,
    false,
  ]);
});

Deno.test("rewardDesignCheck: stability, preference's growing variance and drop, interval's small gap, the others between", () => {
  const designs = ["mean", "median", "interval", "preference", "winrate"];
  // eval accuracy per design: preference peaks then collapses; mean ends at its best
  const evals: Record<string, number[]> = {
    mean: [0.5, 0.8, 0.83],
    median: [0.5, 0.8, 0.8],
    interval: [0.5, 0.7, 0.78],
    preference: [0.5, 0.82, 0.6],
    winrate: [0.5, 0.8, 0.79],
  };
  // training score gap and variance per step (columns as shipped: see CURVE_TRAIN_FIELDS)
  const gap: Record<string, number> = {
    mean: 3,
    median: 3,
    interval: 1,
    preference: 4,
    winrate: 2.5,
  };
  const col = (f: string) => 1 + CURVE_TRAIN_FIELDS.indexOf(f as never);
  const train = (design: string) =>
    [1, 2, 3, 4, 5, 6].map((step) => {
      const r: (number | null)[] = Array(1 + CURVE_TRAIN_FIELDS.length).fill(null);
      r[0] = step;
      r[col("score/gap")] = gap[design];
      r[col("score/variance")] = design === "preference" ? step * 2 : 4;
      return r;
    });
  const curves = designs.flatMap((d) =>
    [0, 1].map((seed) => ({
      cell: `design-${d}_seed-${seed}`,
      group: `design-${d}`,
      seed,
      eval: evals[d].map((a, i) => [100 * i, a]),
      train: train(d),
    }))
  );
  const rows = designs.map((d) =>
    row({ design: d }, {
      accuracy: evals[d].at(-1)!,
      diff: d === "mean" ? null : [evals[d].at(-1)! - 0.83, 0.005],
    })
  );
  const r = results("reward_design", rows, curves);
  (r as { provenance: Record<string, unknown> }).provenance = {
    curveColumns: { eval: ["step", "accuracy"], train: ["step", ...CURVE_TRAIN_FIELDS] },
  };
  const check = rewardDesignCheck(r);
  assertEquals(check.verdict, "reproduced", check.parts.join("\n"));
  assertStringIncludes(
    check.parts[0],
    "mean 0.000, median 0.000, interval 0.000, preference 0.220",
  );
  assertStringIncludes(check.parts[1], "first third 3.00, last 11.00): holds");
  // median ending above mean breaks the "between" part only
  evals.median = [0.5, 0.8, 0.9];
  const rows2 = rows.map((x) =>
    x.settings.design === "median"
      ? row({ design: "median" }, { accuracy: 0.9, diff: [0.07, 0.005] })
      : x
  );
  const partly = rewardDesignCheck({ ...r, rows: rows2 });
  assertEquals(partly.verdict, "partly reproduced");
  assertStringIncludes(partly.parts[4], "does not hold");
});

Deno.test("loadAblationResults: curves of unfinished runs are left out, their summary kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "irpm-results-" });
  try {
    const run = (seed: number, finished: boolean) => ({
      kind: "run",
      group: "design-mean",
      seed,
      name: `design-mean_seed-${seed}`,
      settings: { design: "mean" },
      outcome: { finished, accuracy: finished ? 0.8 : null },
    });
    const curve = (seed: number, steps: number[]) => ({
      cell: `design-mean_seed-${seed}`,
      group: "design-mean",
      seed,
      eval: steps.map((s) => [s, 0.5 + s / 1000]),
      train: [],
    });
    await Deno.writeTextFile(
      `${dir}/provenance.json`,
      JSON.stringify({
        grid: "g",
        claim: "c",
        curveColumns: { eval: ["step", "eval/accuracy"], train: ["step"] },
      }),
    );
    await Deno.writeTextFile(
      `${dir}/summary.jsonl`,
      [run(0, true), run(1, false)].map((l) => JSON.stringify(l)).join("\n") + "\n",
    );
    // seed 1 was cut off at step 100: its curve would pull the mean at steps 0 and 100 only
    await Deno.writeTextFile(
      `${dir}/curves.jsonl`,
      [curve(0, [0, 100, 200]), curve(1, [0, 100])].map((l) => JSON.stringify(l)).join("\n"),
    );
    const loaded = (await loadAblationResults(dir))!;
    assertEquals(loaded.runs.length, 2);
    assertEquals(loaded.curves.map((c) => c.seed), [0]);
    const [series] = curveSeries(loaded, { source: "eval", column: 1 });
    assertEquals(series.x, [0, 100, 200]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
