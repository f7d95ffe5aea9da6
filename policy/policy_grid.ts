/**
 * The policy RL grid (`deno task policy:grid`): the sweep grid format of train/sweep_grid.ts with
 * the policy trainer's keys, plus `judgeCheckpoints` (judge name -> checkpoint directory) so the
 * judge can be varied by name:
 *
 * ```json
 * {
 *   "name": "policy_rl",
 *   "claim": "pointwise ~ pairwise quality at a fraction of the judging cost",
 *   "base": { "steps": 100 },
 *   "judgeCheckpoints": { "irpm": "runs/judge-irpm/checkpoint", "scalar": "runs/judge-scalar/checkpoint" },
 *   "vary": { "judge": ["oracle", "irpm", "scalar"], "samplesPerPrompt": [4, 8] },
 *   "seeds": [0, 1, 2]
 * }
 * ```
 *
 * and its summary: per (judge, n) the final held-out policy quality and exact rate, mean ± SE
 * over seeds, the judge's calls and seconds per step and the wall time, plus the no-RL row (the
 * policy start, evaluated at step 0 of every run). Every number comes from the runs' metrics.jsonl.
 *
 * @module
 */
import { mean } from "../irpm/group_stats.ts";
import { UsageError } from "../config/flags.ts";
import { checkFieldsObject } from "../train/config.ts";
import {
  gridCells,
  type GridRules,
  parseGrid,
  type SweepCell,
  type SweepGrid,
} from "../train/sweep_grid.ts";
import { type MeanSe, meanSe, type MetricsRecord } from "../train/sweep_summary.ts";
import {
  checkPolicyConfig,
  DEFAULT_POLICY_CONFIG,
  POLICY_FLAGS,
  type PolicyConfig,
} from "./policy_config.ts";
import { POLICY_JUDGES } from "./judges.ts";
import { firstHackingStep } from "./reward_hacking.ts";
import { bareEvalFields } from "../train/metric_names.ts";

/** A parsed policy grid and its cells (judge checkpoints filled in). */
export interface PolicyGrid {
  readonly grid: SweepGrid<PolicyConfig>;
  readonly cells: readonly SweepCell<PolicyConfig>[];
  readonly judgeCheckpoints: Readonly<Record<string, string>>;
}

/**
 * Parses a policy grid; every problem is a UsageError naming the field.
 *
 * @example
 * ```ts
 * import { parsePolicyGrid } from "./policy_grid.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const g = parsePolicyGrid({ name: "p", claim: "", judgeCheckpoints: { irpm: "runs/j" },
 *   vary: { judge: ["oracle", "irpm"] }, seeds: [0] }, "p.json");
 * assertEquals(g.cells.map((c) => [c.name, c.config.judgeCheckpoint ?? null]),
 *   [["judge-oracle_seed-0", null], ["judge-irpm_seed-0", "runs/j"]]);
 * assertThrows(() => parsePolicyGrid({ name: "p", vary: { judge: ["scalar"] }, seeds: [0] }, "p.json"),
 *   Error, "cell judge-scalar_seed-0: --judge scalar needs --judge-checkpoint");
 * ```
 */
export function parsePolicyGrid(value: unknown, source: string): PolicyGrid {
  const raw = (typeof value === "object" && value !== null && !Array.isArray(value))
    ? (value as Record<string, unknown>).judgeCheckpoints ?? {}
    : {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new UsageError(`${source}: field "judgeCheckpoints": expected an object judge -> path`);
  }
  const judgeCheckpoints: Record<string, string> = {};
  for (const [judge, path] of Object.entries(raw)) {
    if (!(POLICY_JUDGES as readonly string[]).includes(judge) || judge === "oracle") {
      throw new UsageError(
        `${source}: field "judgeCheckpoints.${judge}": not a judge with a checkpoint (irpm, pairwise, scalar)`,
      );
    }
    if (typeof path !== "string" || path === "") {
      throw new UsageError(`${source}: field "judgeCheckpoints.${judge}": expected a path`);
    }
    judgeCheckpoints[judge] = path;
  }
  const fill = (config: Readonly<Partial<PolicyConfig>>): Partial<PolicyConfig> => {
    const judge = config.judge ?? DEFAULT_POLICY_CONFIG.judge;
    return config.judgeCheckpoint === undefined && judgeCheckpoints[judge]
      ? { ...config, judgeCheckpoint: judgeCheckpoints[judge] }
      : config;
  };
  const rules: GridRules<PolicyConfig> = {
    checkObject: (v, s) =>
      checkFieldsObject(v, { source: s, flags: POLICY_FLAGS, defaults: DEFAULT_POLICY_CONFIG }),
    checkCell: (config) => checkPolicyConfig({ ...DEFAULT_POLICY_CONFIG, ...fill(config) }),
    helpCommand: "deno task policy",
    extraKeys: ["judgeCheckpoints"],
  };
  const grid = parseGrid<PolicyConfig>(value, source, rules);
  const cells = gridCells(grid).map((c) => ({ ...c, config: fill(c.config) }));
  return { grid, cells, judgeCheckpoints };
}

/** One policy run's result, from its metrics lines. */
export interface PolicyOutcome {
  readonly finished: boolean;
  readonly step: number;
  /** Final held-out evaluation (the one at the largest step) and the step-0 one. */
  readonly final: Readonly<Record<string, number>> | null;
  readonly start: Readonly<Record<string, number>> | null;
  /** Means over the training lines. */
  readonly callsPerStep: number | null;
  readonly judgeSecondsPerStep: number | null;
  readonly policySecondsPerStep: number | null;
  /** Sum of the sessions' wall seconds. */
  readonly wallSeconds: number | null;
  /**
   * The first step the reward-hacking check flags, recomputed from the train lines with the
   * default window (so every run of a grid is judged by one rule), or null.
   */
  readonly hackingStep: number | null;
}

/** The mean, or null for no values. */
const avg = (xs: readonly number[]) => (xs.length === 0 ? null : mean(xs));

/**
 * Reads a policy run's outcome.
 *
 * @example
 * ```ts
 * import { policyOutcome } from "./policy_grid.ts";
 * import { assertEquals } from "@std/assert";
 * const o = policyOutcome([
 *   { kind: "eval", step: 0, "eval/quality": 3 },
 *   { kind: "train", step: 1, "judge/calls": 12, "judge/seconds": 0.5, "policy/seconds": 1 },
 *   { kind: "train", step: 2, "judge/calls": 12, "judge/seconds": 1.5, "policy/seconds": 2 },
 *   { kind: "eval", step: 2, quality: 5 }, // an older run's name
 *   { kind: "session", step: 2, seconds: 7, finished: true },
 * ]);
 * assertEquals([o.finished, o.start?.quality, o.final?.quality, o.callsPerStep, o.judgeSecondsPerStep, o.wallSeconds],
 *   [true, 3, 5, 12, 1, 7]);
 * ```
 */
export function policyOutcome(
  lines: readonly MetricsRecord[],
  options: { judge?: string } = {},
): PolicyOutcome {
  // eval fields without their `eval/` prefix (older runs logged them bare)
  const evals = lines.filter((l) => l.kind === "eval").map(bareEvalFields) as Record<
    string,
    number
  >[];
  const trains = lines.filter((l) => l.kind === "train");
  const sessions = lines.filter((l) => l.kind === "session");
  const series = (key: string) =>
    trains.map((l) => l[key]).filter((v): v is number => typeof v === "number");
  const last = evals.reduce<Record<string, number> | null>(
    (best, e) => (best === null || e.step > best.step ? e : best),
    null,
  );
  return {
    finished: sessions.some((s) => s.finished === true),
    step: trains.length ? Number(trains.at(-1)!.step) : 0,
    final: last && last.step > 0 ? last : null,
    start: evals.find((e) => e.step === 0) ?? null,
    callsPerStep: avg(series("judge/calls")),
    judgeSecondsPerStep: avg(series("judge/seconds")),
    policySecondsPerStep: avg(series("policy/seconds")),
    wallSeconds: sessions.length ? sessions.reduce((a, s) => a + Number(s.seconds ?? 0), 0) : null,
    // a pairwise judge's win shares average 1/2 in every group: the check does not apply
    hackingStep: options.judge === "pairwise"
      ? null
      : firstHackingStep(...pairedSeries(trains, "judge/reward_mean", "policy/quality")),
  };
}

/** Two fields over the train lines that carry both as finite numbers (a step with no judge
 * reward, e.g. every judgment unparsed, is left out of both). */
function pairedSeries(
  trains: readonly MetricsRecord[],
  a: string,
  b: string,
): [number[], number[]] {
  const kept = trains.filter((l) => Number.isFinite(l[a]) && Number.isFinite(l[b]));
  return [kept.map((l) => l[a] as number), kept.map((l) => l[b] as number)];
}

/** One run of the grid with its outcome. */
export interface PolicyGridRun {
  readonly group: string;
  readonly judge: string;
  readonly n: number;
  readonly seed: number;
  readonly outcome: PolicyOutcome;
}

/** One row of the summary (a (judge, n) group, or the no-RL start). */
export interface PolicySummaryRow {
  readonly judge: string;
  readonly n: number | null;
  readonly runs: number;
  readonly quality: MeanSe;
  readonly exactRate: MeanSe;
  readonly sampledQuality: MeanSe;
  readonly callsPerStep: number | null;
  readonly judgeSecondsPerStep: number | null;
  readonly policySecondsPerStep: number | null;
  readonly wallSeconds: number | null;
  /** Runs the reward-hacking check flagged (recomputed from their train lines). */
  readonly hackingFlags: number;
}

/**
 * The summary rows: the no-RL start first (the step-0 evaluation, one per seed), then one row per
 * (judge, n) over its finished runs.
 *
 * @example
 * ```ts
 * import { summarizePolicyGrid } from "./policy_grid.ts";
 * import { assertEquals } from "@std/assert";
 * const run = (seed: number, q: number) => ({ group: "g", judge: "irpm", n: 4, seed, outcome: {
 *   finished: true, step: 2, start: { quality: 3, exact_rate: 0.1, sampled_quality: 2 },
 *   final: { quality: q, exact_rate: 0.5, sampled_quality: q }, callsPerStep: 64,
 *   judgeSecondsPerStep: 1, policySecondsPerStep: 2, wallSeconds: 10, hackingStep: null } });
 * const [start, row] = summarizePolicyGrid([run(0, 5), run(1, 7)]);
 * assertEquals([start.judge, start.quality.mean, row.quality.mean, row.quality.se, row.callsPerStep], ["no RL", 3, 6, 1, 64]);
 * ```
 */
export function summarizePolicyGrid(runs: readonly PolicyGridRun[]): PolicySummaryRow[] {
  const finished = runs.filter((r) => r.outcome.finished && r.outcome.final);
  const field = (rs: readonly PolicyGridRun[], at: "final" | "start", key: string) =>
    meanSe(rs.map((r) => r.outcome[at]?.[key] ?? null));
  const bySeed = new Map<number, PolicyGridRun>();
  for (const r of runs) if (r.outcome.start && !bySeed.has(r.seed)) bySeed.set(r.seed, r);
  const starts = [...bySeed.values()];
  const rows: PolicySummaryRow[] = [{
    judge: "no RL",
    n: null,
    runs: starts.length,
    quality: field(starts, "start", "quality"),
    exactRate: field(starts, "start", "exact_rate"),
    sampledQuality: field(starts, "start", "sampled_quality"),
    callsPerStep: null,
    judgeSecondsPerStep: null,
    policySecondsPerStep: null,
    wallSeconds: null,
    hackingFlags: 0,
  }];
  const groups = [...new Set(runs.map((r) => r.group))];
  for (const group of groups) {
    const all = runs.filter((r) => r.group === group);
    const rs = finished.filter((r) => r.group === group);
    const mean = (f: (o: PolicyOutcome) => number | null) =>
      avg(rs.map((r) => f(r.outcome)).filter((v): v is number => v !== null));
    rows.push({
      judge: all[0].judge,
      n: all[0].n,
      runs: rs.length,
      quality: field(rs, "final", "quality"),
      exactRate: field(rs, "final", "exact_rate"),
      sampledQuality: field(rs, "final", "sampled_quality"),
      callsPerStep: mean((o) => o.callsPerStep),
      judgeSecondsPerStep: mean((o) => o.judgeSecondsPerStep),
      policySecondsPerStep: mean((o) => o.policySecondsPerStep),
      wallSeconds: mean((o) => o.wallSeconds),
      hackingFlags: rs.filter((r) => r.outcome.hackingStep !== null).length,
    });
  }
  return rows;
}

const fmt = (m: MeanSe, digits: number, scale = 1) =>
  m.mean === null
    ? "-"
    : `${(scale * m.mean).toFixed(digits)}${
      m.se === null ? "" : ` ± ${(scale * m.se).toFixed(digits)}`
    }`;
const plain = (x: number | null, digits: number) => (x === null ? "-" : x.toFixed(digits));

/** The summary as a markdown table. */
export function policySummaryMarkdown(rows: readonly PolicySummaryRow[]): string {
  const head = [
    "judge",
    "n",
    "runs",
    "held-out quality (greedy, /10) ± se",
    "exact-answer rate ± se",
    "sampled quality (T = 1) ± se",
    "judge calls / step",
    "judge s / step",
    "policy s / step",
    "wall s / run",
    "runs flagged for reward hacking",
  ];
  const lines = rows.map((r) =>
    `| ${
      [
        r.judge,
        r.n === null ? "-" : String(r.n),
        String(r.runs),
        fmt(r.quality, 2),
        fmt(r.exactRate, 1, 100) + (r.exactRate.mean === null ? "" : "%"),
        fmt(r.sampledQuality, 2),
        plain(r.callsPerStep, 0),
        plain(r.judgeSecondsPerStep, 2),
        plain(r.policySecondsPerStep, 2),
        plain(r.wallSeconds, 0),
        r.judge === "no RL" || r.judge === "pairwise" ? "-" : String(r.hackingFlags),
      ].join(" | ")
    } |`
  );
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...lines].join("\n");
}
