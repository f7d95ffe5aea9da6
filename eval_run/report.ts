/**
 * `deno task eval` output: the markdown report, the JSON summary (no per-item traces) and the
 * per-item JSONL records (every pair and calibration candidate of every judge); and the markdown
 * of `deno task rank`.
 *
 * @module
 */
import type { Summary } from "../eval/accuracy.ts";
import type { EvalSet } from "./eval_set.ts";
import { markdownTable, num, pct } from "./markdown.ts";
import { rankingRatios, type RankRow } from "./ranking_run.ts";
import type { JudgeReport } from "./run_eval.ts";

const summaryCells = (s: Summary) => [
  String(s.n),
  `${pct(s.accuracy)} ± ${pct(s.accuracySe)}`,
  pct(s.strictAccuracy),
  pct(s.tieRate),
  pct(s.parseErrorRate),
];

/** The markdown report of one evaluation run (one section per table, judges as rows). */
export function evalMarkdown(reports: readonly JudgeReport[], set: EvalSet): string {
  const out: string[] = [`## Pairwise accuracy on ${set.data} (${set.source})`, ""];
  const accuracyRows = reports.flatMap((r) => {
    const s = r.evaluation.summary;
    const groups = Object.entries(s.byDomain);
    return [
      [r.name, r.kind, "overall", ...summaryCells(s.overall)],
      ...(groups.length > 1 ? groups.map(([g, v]) => [r.name, r.kind, g, ...summaryCells(v)]) : []),
    ];
  });
  out.push(markdownTable(
    [
      "judge",
      "kind",
      "group",
      "n",
      "accuracy (tie 0.5) ± se",
      "strict (tie 0)",
      "ties",
      "parse errors",
    ],
    accuracyRows,
  ));
  const voting = reports.flatMap((r) =>
    (r.evaluation.voting ?? []).map((v) => [
      r.name,
      `${v.k}${v.source === "greedy" ? " (greedy)" : ""}`,
      pct(v.accuracy),
      pct(v.strictAccuracy),
      pct(v.tieRate),
      pct(v.parseErrorRate),
    ])
  );
  if (voting.length > 0) {
    out.push("", "## Voting@k (k samples at temperature 1, mean of valid scores)", "");
    out.push(markdownTable(["judge", "k", "accuracy", "strict", "ties", "parse errors"], voting));
  }
  const rb = reports.filter((r) => r.evaluation.summary.rewardBench);
  if (rb.length > 0) {
    const sections = Object.keys(rb[0].evaluation.summary.rewardBench!.sections.irpm);
    out.push("", "## RewardBench sections (count-weighted subsets; score = mean of sections)", "");
    out.push(markdownTable(
      ["judge", "convention", ...sections, "score"],
      rb.flatMap((r) => {
        const x = r.evaluation.summary.rewardBench!;
        return (["irpm", "strict"] as const).map((c) => [
          r.name,
          c === "irpm" ? "tie 0.5" : "strict",
          ...sections.map((s) => pct(x.sections[c][s])),
          pct(x.score[c]),
        ]);
      }),
    ));
  }
  const rm = reports.filter((r) => r.evaluation.summary.rmBench);
  if (rm.length > 0) {
    out.push("", "## RM-Bench (hard: chosen plainer than rejected; strict is official)", "");
    out.push(markdownTable(
      ["judge", "domain", "hard", "normal", "easy", "avg", "avg (tie 0.5)", "ties"],
      rm.flatMap((r) => {
        const x = r.evaluation.summary.rmBench!;
        return [
          ...Object.entries(x.byDomain).map(([d, v]) => [
            r.name,
            d,
            pct(v.strict.hard),
            pct(v.strict.normal),
            pct(v.strict.easy),
            pct(v.strict.avg),
            pct(v.irpm.avg),
            pct(v.tieRate),
          ]),
          [
            r.name,
            "overall",
            pct(x.overall.strict.hard),
            pct(x.overall.strict.normal),
            pct(x.overall.strict.easy),
            pct(x.overall.strict.avg),
            pct(x.overall.irpm.avg),
            "",
          ],
        ];
      }),
    ));
  }
  const jb = reports.filter((r) => r.evaluation.judgeBench);
  if (jb.length > 0) {
    out.push("", "## Both orders (JudgeBench counter rule; strict = both verdicts right)", "");
    out.push(markdownTable(
      ["judge", "accuracy", "strict", "inconsistent", "missing"],
      jb.map((r) => {
        const x = r.evaluation.judgeBench!;
        return [
          r.name,
          pct(x.accuracy),
          pct(x.strictAccuracy),
          pct(x.inconsistencyRate),
          pct(x.missingRate),
        ];
      }),
    ));
  }
  const cal = reports.filter((r) => r.calibration);
  if (cal.length > 0) {
    out.push("", "## Calibration: Spearman of scores vs hidden quality (synthetic candidates)", "");
    out.push(markdownTable(
      ["judge", "pooled rho", "n", "excluded (unparseable)", "within-set mean rho", "sets"],
      cal.map((r) => {
        const c = r.calibration!;
        return [
          r.name,
          num(c.pooled.rho, 3),
          String(c.pooled.n),
          String(c.pooled.excluded),
          num(c.withinSet.meanRho, 3),
          `${c.withinSet.sets} (+${c.withinSet.undefinedSets} undefined)`,
        ];
      }),
    ));
  }
  out.push("", "## Cost", "");
  out.push(markdownTable(
    ["judge", "judge calls", "seconds", "calls/s"],
    reports.map((r) => [
      r.name,
      String(r.evaluation.calls),
      num(r.evaluation.seconds, 1),
      num(r.evaluation.calls / r.evaluation.seconds, 1),
    ]),
  ));
  return out.join("\n") + "\n";
}

/**
 * The JSON summary: the data set and, per judge, everything but the per-item traces.
 * `data.duplicates_dropped` counts the file's repeated rows left out (pairs; RM-Bench: items).
 */
export function evalJson(reports: readonly JudgeReport[], set: EvalSet): Record<string, unknown> {
  return {
    data: {
      format: set.data,
      source: set.source,
      pairs: set.pairs.length,
      duplicates_dropped: set.duplicates?.length ?? 0,
    },
    judges: reports.map((r) => {
      const { traces: _t, ...evaluation } = r.evaluation;
      const calibration = r.calibration && (({ traces: _c, ...rest }) => rest)(r.calibration);
      return { name: r.name, ...evaluation, calibration };
    }),
  };
}

/** Per-item records: `{judge, record: "pair", ...trace}` then `{judge, record: "calibration", ...}`. */
export function evalItems(reports: readonly JudgeReport[]): Record<string, unknown>[] {
  return reports.flatMap((r) => [
    ...r.evaluation.traces.map((t) => ({ judge: r.name, kind: r.kind, record: "pair", ...t })),
    ...(r.calibration?.traces ?? []).map((t) => ({
      judge: r.name,
      kind: r.kind,
      record: "calibration",
      ...t,
    })),
  ]);
}

/** The markdown report of `deno task rank`: per (n, judge) results, then cost ratios. */
export function rankMarkdown(rows: readonly RankRow[]): string {
  const table = markdownTable(
    [
      "n",
      "judge",
      "kind",
      "calls",
      "calls/set",
      "seconds",
      "picked quality",
      "oracle quality",
      "hit rate",
      "undecided",
    ],
    rows.map((r) => [
      String(r.n),
      r.judge,
      r.kind,
      String(r.calls),
      num(r.calls / r.sets, 1),
      num(r.seconds, 2),
      num(r.pickedQuality, 2),
      num(r.oracleQuality, 2),
      pct(r.hitRate),
      String(r.undecided),
    ]),
  );
  const ratios = rankingRatios(rows);
  const out = ["## Best-of-n on synthetic candidate sets (hidden quality 0-10)", "", table];
  if (ratios.length > 0) {
    out.push("", "## Cost ratios against the pointwise GRM (time should track calls)", "");
    out.push(markdownTable(
      ["n", "judge", "versus", "call ratio", "time ratio"],
      ratios.map((r) => [String(r.n), r.judge, r.versus, num(r.callRatio, 2), num(r.timeRatio, 2)]),
    ));
  }
  return out.join("\n") + "\n";
}
