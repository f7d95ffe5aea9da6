/**
 * The shipped ties-and-voting studies (`results/voting/*.json`, written by `deno task voting
 * --json`) as notebook 04 uses them: loading, figure series, and the claim's checks computed from
 * the numbers.
 *
 * @module
 */
import type { VotingStudy, VotingStudyRow } from "../../eval_run/voting_study.ts";
import type { BarSeries, LineSeries } from "../../viz/mod.ts";
import {
  type ClaimCheck,
  claimCheck,
  formatComparison,
  pairedComparison,
} from "./ablation_results.ts";
import { type MeanSe, meanSe } from "../../train/sweep_summary.ts";

/** One shipped study with its label and provenance. */
export type ShippedVotingStudy = VotingStudy & {
  readonly name: string;
  readonly provenance: Readonly<Record<string, unknown>>;
};

/** Every study in `dir` (sorted by file name); empty when none has been shipped. */
export async function loadVotingStudies(dir: string | URL): Promise<ShippedVotingStudy[]> {
  const base = typeof dir === "string" ? dir : dir.pathname;
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(base)) {
      if (e.isFile && e.name.endsWith(".json")) files.push(e.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return await Promise.all(
    files.sort().map(async (f) => JSON.parse(await Deno.readTextFile(`${base}/${f}`))),
  );
}

/** Accuracy (or tie rate) of voting@k against k, one series per temperature, plus greedy flat. */
export function votingSeries(
  study: VotingStudy,
  metric: "accuracy" | "tieRate" = "accuracy",
): LineSeries[] {
  const greedy = study.rows.find((r) => r.method === "greedy")!;
  const temperatures = [...new Set(study.rows.map((r) => r.temperature).filter((t) => t !== null))];
  const ks = [...new Set(study.rows.filter((r) => r.temperature !== null).map((r) => r.k))];
  return [
    ...temperatures.map((t) => {
      const rows = study.rows.filter((r) => r.temperature === t);
      return {
        name: `vote@k, T=${t}`,
        x: rows.map((r) => r.k),
        y: rows.map((r) => r[metric]),
        errorY: metric === "accuracy" ? rows.map((r) => r.accuracySe) : undefined,
      };
    }),
    {
      name: "greedy (1 call)",
      x: [Math.min(...ks), Math.max(...ks)],
      y: [greedy[metric], greedy[metric]],
      dash: "dash" as const,
    },
  ];
}

/** Critique ceiling of greedy and sampled critiques, as bars. */
export function critiqueBars(study: VotingStudy): BarSeries[] {
  return [{
    name: "critique ceiling",
    categories: study.critiques.map((c) =>
      c.source === "greedy" ? "greedy" : `sampled T=${c.source}`
    ),
    values: study.critiques.map((c) => c.ceiling),
  }];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Whether two independent accuracies differ by more than twice the standard error of the gap. */
function clearlyAbove(a: VotingStudyRow, b: VotingStudyRow): boolean {
  return a.accuracy - b.accuracy > 2 * Math.hypot(a.accuracySe, b.accuracySe);
}

/** Claim 6's three checks on one study (each null when the study lacks its rows). */
export interface VotingChecks {
  /** The paper's claim: voting@k_max at T = 1 beats greedy. */
  readonly claim: ClaimCheck | null;
  /** The explanation of the opposite: sampled critiques at T = 1 are worse evidence than greedy. */
  readonly explanation: ClaimCheck | null;
  /** Whether voting at the best temperature below 1 beats greedy. */
  readonly lowerTemperature: ClaimCheck | null;
}

/**
 * Claim 6's checks on one study. "Beats" means by more than twice the standard error of the
 * difference of the two accuracies.
 *
 * @example
 * ```ts
 * import { votingCheck } from "./voting_results.ts";
 * import { assertEquals } from "@std/assert";
 * const row = (method: string, k: number, temperature: number | null, accuracy: number) =>
 *   ({ method, k, temperature, accuracy, accuracySe: 0.01, calls: 0, tokens: 0, seconds: 0, n: 256,
 *      strictAccuracy: 0, strictAccuracySe: 0, tieRate: 0, parseErrorRate: 0, ties: 0, parseErrors: 0 });
 * const check = votingCheck({ n: 256, rows: [row("greedy", 1, null, 0.82), row("vote@8 T=1", 8, 1, 0.74),
 *   row("vote@8 T=0.5", 8, 0.5, 0.86)], critiques: [{ source: "greedy", ceiling: 0.86, tieRate: 0.2 },
 *   { source: 1, ceiling: 0.7, tieRate: 0.1 }] });
 * assertEquals([check.claim?.verdict, check.explanation?.verdict, check.lowerTemperature?.verdict],
 *   ["not reproduced", "reproduced", "reproduced"]);
 * ```
 */
export function votingCheck(study: VotingStudy): VotingChecks {
  const greedy = study.rows.find((r) => r.method === "greedy")!;
  const kMax = Math.max(...study.rows.map((r) => r.k));
  const atT1 = study.rows.find((r) => r.k === kMax && r.temperature === 1);
  const lower =
    study.rows.filter((r) => r.k === kMax && r.temperature !== null && r.temperature < 1)
      .sort((a, b) => b.accuracy - a.accuracy)[0];
  const ceilingGreedy = study.critiques.find((c) => c.source === "greedy")!.ceiling;
  const ceilingT1 = study.critiques.find((c) => c.source === 1)?.ceiling;
  return {
    claim: atT1
      ? claimCheck([[
        `voting@${kMax} at T=1 beats greedy (${pct(atT1.accuracy)} vs ${pct(greedy.accuracy)}, ${
          atT1.calls / greedy.calls
        }x the judge calls)`,
        clearlyAbove(atT1, greedy),
      ]])
      : null,
    explanation: ceilingT1 === undefined ? null : claimCheck([[
      `sampled critiques at T=1 are worse evidence than greedy ones (critique ceiling ${
        pct(ceilingT1)
      } vs ${pct(ceilingGreedy)})`,
      ceilingT1 < ceilingGreedy,
    ]]),
    lowerTemperature: lower
      ? claimCheck([[
        `voting@${kMax} at T=${lower.temperature} beats greedy (${pct(lower.accuracy)} vs ${
          pct(greedy.accuracy)
        })`,
        clearlyAbove(lower, greedy),
      ]])
      : null,
  };
}

/** One method's numbers over the seeds' studies: mean ± se of each. */
export interface ReadoutSummaryRow {
  readonly method: string;
  readonly accuracy: MeanSe;
  readonly strictAccuracy: MeanSe;
  readonly tieRate: MeanSe;
  readonly spearman: MeanSe;
  readonly seconds: MeanSe;
  readonly calls: MeanSe;
}

/** The methods compared in open question 1, in table order. */
export function readoutMethods(studies: readonly VotingStudy[]): string[] {
  const kMax = Math.max(...studies[0].rows.map((r) => r.k));
  return [
    "greedy",
    "expected (greedy critique)",
    "median (greedy critique)",
    ...studies[0].rows.filter((r) => r.k === kMax && r.temperature !== null).map((r) => r.method),
  ];
}

/**
 * Mean ± standard error over the seeds' studies of each method's accuracy (both conventions), tie
 * rate, Spearman against hidden quality, seconds and judge calls.
 */
export function readoutSummary(studies: readonly VotingStudy[]): ReadoutSummaryRow[] {
  return readoutMethods(studies).map((method) => {
    const rows = studies.map((s) => s.rows.find((r) => r.method === method) ?? null);
    const of = (f: (r: VotingStudyRow) => number | null) => meanSe(rows.map((r) => r && f(r)));
    return {
      method,
      accuracy: of((r) => r.accuracy),
      strictAccuracy: of((r) => r.strictAccuracy),
      tieRate: of((r) => r.tieRate),
      spearman: of((r) => r.spearman ?? null),
      seconds: of((r) => r.seconds),
      calls: of((r) => r.calls),
    };
  });
}

/**
 * Open question 1, answered from the seeds' studies: does the expected-score readout (one greedy
 * judgment plus a few forward passes) remove greedy's ties without voting, and at what accuracy,
 * paired by seed against greedy and against voting@k_max? Verdict: "hurts" when its accuracy
 * (ties 0.5) falls below greedy's (95% t-interval of the paired difference below 0); "helps" when
 * it does not and its strict accuracy (ties count as errors: what a tie costs a best-of-n pick)
 * beats greedy's (interval above 0), i.e. the ties it breaks are mostly broken the right way;
 * else "no effect". The parts give both accuracies, ties, Spearman and compute.
 *
 * @example
 * ```ts
 * import { readoutCheck } from "./voting_results.ts";
 * import { assertEquals } from "@std/assert";
 * const row = (method: string, k: number, temperature: number | null, accuracy: number, tieRate: number, seconds: number) =>
 *   ({ method, k, temperature, accuracy, tieRate, seconds, accuracySe: 0.02, strictAccuracy: accuracy - tieRate / 2,
 *      strictAccuracySe: 0.02, calls: 512 * k, tokens: 0, n: 256, parseErrorRate: 0, ties: 0, parseErrors: 0, spearman: 0.7 });
 * const study = (d: number) => ({ n: 256, critiques: [], rows: [
 *   row("greedy", 1, null, 0.80, 0.25, 10), row("expected (greedy critique)", 1, null, 0.83 + d, 0.01, 12),
 *   row("median (greedy critique)", 1, null, 0.80, 0.24, 12), row("vote@8 T=1", 8, 1, 0.79, 0.05, 80) ] });
 * const check = readoutCheck([study(0), study(0.005), study(-0.005)]);
 * assertEquals(check.verdict, "helps");
 * assertEquals(check.parts.length, 4);
 * ```
 */
export function readoutCheck(studies: readonly VotingStudy[]): ReadoutCheck {
  const get = (s: VotingStudy, m: string) => s.rows.find((r) => r.method === m)!;
  const kMax = Math.max(...studies[0].rows.map((r) => r.k));
  const vote = studies[0].rows.find((r) => r.k === kMax && r.temperature === 1)?.method;
  const expected = "expected (greedy critique)";
  const diff = (other: string, f: (r: VotingStudyRow) => number) =>
    pairedComparison(meanSe(studies.map((s) => f(get(s, expected)) - f(get(s, other)))));
  const vsGreedy = diff("greedy", (r) => r.accuracy);
  const strictVsGreedy = diff("greedy", (r) => r.strictAccuracy);
  const summary = readoutSummary(studies);
  const at = (m: string) => summary.find((r) => r.method === m)!;
  const p = (m: MeanSe) =>
    m.mean === null
      ? "-"
      : `${(100 * m.mean).toFixed(1)}%${m.se === null ? "" : ` ± ${(100 * m.se).toFixed(1)}`}`;
  const parts = [
    `accuracy (ties 0.5): expected ${p(at(expected).accuracy)} vs greedy ${
      p(at("greedy").accuracy)
    }; paired ${formatComparison(vsGreedy)}`,
    `ties: expected ${p(at(expected).tieRate)} vs greedy ${
      p(at("greedy").tieRate)
    }; strict accuracy ${p(at(expected).strictAccuracy)} vs ${
      p(at("greedy").strictAccuracy)
    }, paired ${formatComparison(strictVsGreedy)}`,
    `Spearman vs hidden quality: expected ${
      at(expected).spearman.mean?.toFixed(3) ?? "-"
    } vs greedy ${at("greedy").spearman.mean?.toFixed(3) ?? "-"}`,
  ];
  if (vote) {
    const vsVote = diff(vote, (r) => r.accuracy);
    const cost = (m: string) => at(m).seconds.mean ?? NaN;
    parts.push(
      `against ${vote} (${kMax}x the judgments): paired ${formatComparison(vsVote)}; seconds ${
        cost(expected).toFixed(1)
      } vs ${cost(vote).toFixed(1)} (greedy ${cost("greedy").toFixed(1)})`,
    );
  }
  return {
    verdict: vsGreedy.verdict === "worse"
      ? "hurts"
      : strictVsGreedy.verdict === "better"
      ? "helps"
      : "no effect",
    parts,
  };
}

/** The verdict of an open question: the kit's answer helps, does nothing, or hurts. */
export interface ReadoutCheck {
  readonly verdict: "helps" | "no effect" | "hurts";
  readonly parts: readonly string[];
}
