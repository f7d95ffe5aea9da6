/**
 * The shipped policy RL results (`results/policy_rl/`, written by `deno task policy:grid
 * --results`) as notebook 05 uses them: loading, figure series, the judging cost per step, and the
 * verdict on the paper's downstream claim, computed from the numbers.
 *
 * @module
 */
import { meanSe } from "../../train/sweep_summary.ts";
import type { PolicyGridRun, PolicySummaryRow } from "../../policy/policy_grid.ts";
import type { LineSeries } from "../../viz/mod.ts";
import {
  type ClaimCheck,
  claimCheck,
  curveColumn,
  curveSeries,
  type PairedComparison,
  pairedComparison,
  readResultsDir,
  type RunCurveRecord,
} from "./ablation_results.ts";

/** One policy grid's shipped results. */
export interface PolicyResults {
  readonly grid: string;
  readonly claim: string;
  readonly rows: readonly PolicySummaryRow[];
  readonly runs: readonly PolicyGridRun[];
  readonly curves: readonly RunCurveRecord[];
  readonly provenance: Readonly<Record<string, unknown>>;
}

/** Loads `dir` (null when it holds no provenance.json: not shipped yet). */
export async function loadPolicyResults(dir: string | URL): Promise<PolicyResults | null> {
  const shipped = await readResultsDir(dir);
  if (shipped === null) return null;
  const { provenance, summary, curves } = shipped;
  return {
    grid: String(provenance.grid),
    claim: String(provenance.claim ?? ""),
    rows: summary.filter((l) => l.kind === "row") as unknown as PolicySummaryRow[],
    runs: summary.filter((l) => l.kind === "run") as unknown as PolicyGridRun[],
    curves: curves as unknown as RunCurveRecord[],
    provenance,
  };
}

/** The runs' curves of one n, grouped by judge (the series name is the judge). */
function curvesOf(results: PolicyResults, n: number) {
  const judgeOf = new Map(results.runs.map((r) => [r.group, r]));
  return {
    curves: results.curves
      .filter((c) => judgeOf.get(c.group)?.n === n)
      .map((c) => ({ ...c, group: judgeOf.get(c.group)!.judge })),
  };
}

/** Which held-out curve: the quality of sampled answers (default) or of greedy ones. */
export type QualityCurve = { n: number; metric?: "sampled_quality" | "quality" };

/**
 * Held-out quality against training step, one series per judge (mean over seeds), for one n.
 */
export function qualityBySteps(results: PolicyResults, which: QualityCurve): LineSeries[] {
  const column = curveColumn(results, {
    source: "eval",
    field: `eval/${which.metric ?? "sampled_quality"}`,
  });
  return curveSeries(curvesOf(results, which.n), { source: "eval", column });
}

/**
 * A training-line field (e.g. `policy/quality`, the hidden quality of the answers sampled in
 * training, or `judge/reward_mean`) against step, one series per judge (mean over seeds), for one n.
 */
export function trainBySteps(
  results: PolicyResults,
  which: { n: number; field: string },
): LineSeries[] {
  return curveSeries(curvesOf(results, which.n), {
    source: "train",
    column: curveColumn(results, { source: "train", field: which.field }),
  });
}

/**
 * The same curves against the judge calls spent so far (step x the run's calls per step): what a
 * judge's verdicts cost to reach a quality. The oracle (no calls) is left out.
 *
 * @example
 * ```ts
 * import { qualityByCalls } from "./policy_results.ts";
 * import { assertEquals } from "@std/assert";
 * const run = (judge: string, calls: number) => ({ group: judge, judge, n: 4, seed: 0,
 *   outcome: { callsPerStep: calls } });
 * const results = { grid: "p", claim: "", rows: [], provenance: { curveColumns: { eval: ["step", "eval/sampled_quality"] } },
 *   runs: [run("irpm", 64), run("pairwise", 192), run("oracle", 0)],
 *   curves: ["irpm", "pairwise", "oracle"].map((g) => ({ cell: g, group: g, seed: 0, eval: [[0, 3], [10, 5]], train: [] })) };
 * assertEquals(qualityByCalls(results as never, { n: 4 }).map((s) => [s.name, s.x]),
 *   [["irpm", [0, 640]], ["pairwise", [0, 1920]]]);
 * ```
 */
export function qualityByCalls(results: PolicyResults, which: QualityCurve): LineSeries[] {
  const calls = new Map<string, number>();
  for (const r of results.runs) {
    if (r.n === which.n && r.outcome.callsPerStep !== null) {
      calls.set(r.judge, r.outcome.callsPerStep);
    }
  }
  return qualityBySteps(results, which)
    .filter((s) => (calls.get(s.name!) ?? 0) > 0)
    .map((s) => ({ ...s, x: s.x.map((step) => step * calls.get(s.name!)!) }));
}

/** Judge calls and judge seconds per step by judge and n (the summary rows with a judge). */
export function judgingCost(
  results: PolicyResults,
): { judge: string; n: number; calls: number; seconds: number }[] {
  return results.rows
    .filter((r) => r.n !== null && r.judge !== "oracle" && r.callsPerStep !== null)
    .map((r) => ({
      judge: r.judge,
      n: r.n!,
      calls: r.callsPerStep!,
      seconds: r.judgeSecondsPerStep ?? NaN,
    }));
}

/**
 * Paired difference of a final held-out number (`a` minus `b`, same seed and n; default the
 * sampled quality), with its 95% CI.
 *
 * @example
 * ```ts
 * import { pairedQuality } from "./policy_results.ts";
 * import { assertEquals } from "@std/assert";
 * const run = (judge: string, seed: number, q: number) => ({ group: judge, judge, n: 4, seed,
 *   outcome: { finished: true, final: { sampled_quality: q } } });
 * const results = { runs: [run("irpm", 0, 6), run("irpm", 1, 7), run("pairwise", 0, 5), run("pairwise", 1, 6)] };
 * assertEquals(pairedQuality(results as never, { a: "irpm", b: "pairwise", n: 4 }).mean, 1);
 * ```
 */
export function pairedQuality(
  results: Pick<PolicyResults, "runs">,
  which: { a: string; b: string; n: number; metric?: "sampled_quality" | "quality" },
): PairedComparison {
  const { a, b, n, metric = "sampled_quality" } = which;
  const final = (judge: string, seed: number) =>
    results.runs.find((r) =>
      r.judge === judge && r.n === n && r.seed === seed && r.outcome.finished
    )
      ?.outcome.final?.[metric] ?? null;
  const seeds = [...new Set(results.runs.map((r) => r.seed))];
  const diffs = seeds.map((s) => {
    const x = final(a, s), y = final(b, s);
    return x === null || y === null ? null : x - y;
  });
  return pairedComparison(meanSe(diffs));
}

const fmtDiff = (c: PairedComparison) =>
  c.mean === null
    ? "no paired seeds"
    : `${c.mean >= 0 ? "+" : ""}${c.mean.toFixed(2)}${
      c.low === null ? "" : ` (95% CI ${c.low.toFixed(2)} to ${c.high!.toFixed(2)}, ${c.n} seeds)`
    }`;

/**
 * The downstream claim: with the GRM as the reward, the pointwise judge trains a policy about as
 * well as the pairwise judge (per n: the paired difference irpm - pairwise of the final held-out
 * sampled quality is not below 0), for a fraction of the judging (fewer judge calls and judge
 * seconds per step), and RL with the IRPM judge beats the untrained start (paired by run).
 *
 * Quality here is that of answers sampled at temperature 1, the distribution GRPO trains: at this
 * model size and budget greedy answers barely move even with the oracle's reward (the table shows
 * both).
 */
export function policyClaimCheck(results: PolicyResults): ClaimCheck {
  const ns = [...new Set(results.runs.map((r) => r.n))].sort((a, b) => a - b);
  const row = (judge: string, n: number | null) =>
    results.rows.find((r) => r.judge === judge && r.n === n);
  const parts: [string, boolean][] = [];
  for (const n of ns) {
    const irpm = row("irpm", n), pairwise = row("pairwise", n);
    if (!irpm || !pairwise) continue;
    const d = pairedQuality(results, { a: "irpm", b: "pairwise", n });
    parts.push([
      `n = ${n}: IRPM-trained policy's sampled quality minus pairwise-trained: ${
        fmtDiff(d)
      }, not below 0`,
      d.high !== null && d.high >= 0,
    ]);
    parts.push([
      `n = ${n}: judging per step, IRPM ${irpm.callsPerStep?.toFixed(0)} calls / ${
        irpm.judgeSecondsPerStep?.toFixed(2)
      } s vs pairwise ${pairwise.callsPerStep?.toFixed(0)} calls / ${
        pairwise.judgeSecondsPerStep?.toFixed(2)
      } s, cheaper`,
      (irpm.callsPerStep ?? Infinity) < (pairwise.callsPerStep ?? 0) &&
      (irpm.judgeSecondsPerStep ?? Infinity) < (pairwise.judgeSecondsPerStep ?? 0),
    ]);
    const gain = pairedGain(results, n);
    parts.push([
      `n = ${n}: IRPM-trained sampled quality above the start's: ${fmtDiff(gain)}, 95% CI above 0`,
      gain.verdict === "better",
    ]);
  }
  if (parts.length === 0) {
    return { verdict: "not reproduced", parts: ["no irpm and pairwise rows"] };
  }
  return claimCheck(parts);
}

/**
 * Paired gain of the IRPM-trained policy's final held-out sampled quality over its start (the
 * step-0 evaluation of the same run), with its 95% CI over the runs.
 */
export function pairedGain(results: Pick<PolicyResults, "runs">, n: number): PairedComparison {
  const runs = results.runs.filter((r) => r.judge === "irpm" && r.n === n && r.outcome.finished);
  return pairedComparison(meanSe(runs.map((r) => {
    const end = r.outcome.final?.sampled_quality, start = r.outcome.start?.sampled_quality;
    return end === undefined || start === undefined ? null : end - start;
  })));
}

/**
 * The reward-hacking check over the grid: per judge and n, the runs it flagged (recomputed from
 * their train lines: the judge's reward up and the hidden quality down since the start).
 */
export function hackingByJudge(
  results: Pick<PolicyResults, "runs">,
): { judge: string; n: number; flagged: number; runs: number; steps: (number | null)[] }[] {
  const keys = [...new Set(results.runs.map((r) => `${r.judge}\u0000${r.n}`))];
  return keys.map((key) => {
    const [judge, n] = key.split("\u0000");
    const runs = results.runs.filter((r) => r.judge === judge && r.n === Number(n));
    const steps = runs.map((r) => r.outcome.hackingStep ?? null);
    return {
      judge,
      n: Number(n),
      flagged: steps.filter((s) => s !== null).length,
      runs: runs.length,
      steps,
    };
  });
}
