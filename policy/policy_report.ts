/**
 * The report of a policy run (`runs/<name>/report.html`): a header (the command that reproduces
 * it, progress, the held-out numbers at the start and the end, and every reward-hacking flag), one
 * quantity per panel (hidden quality of the sampled answers, the judge's reward, held-out quality,
 * held-out exact rate, KL, seconds per step), and the evaluations and config as tables. Pure: lines
 * in, page out.
 *
 * @module
 */
import { lineChart } from "../viz/charts.ts";
import type { Figure } from "../viz/figure.ts";
import type { PlotlyJs } from "../viz/load_plotly.ts";
import { reportPage } from "../viz/report_page.ts";
import type { MetricsRecord } from "../train/sweep_summary.ts";
import { policyFlags } from "./policy_flags.ts";
import { metricValue } from "../train/metric_names.ts";

// eval fields by their eval/ name (or an older run's bare one)
const at = (l: MetricsRecord, key: string) =>
  metricValue(l, l.kind === "eval" ? `eval/${key}` : key);
const series = (lines: readonly MetricsRecord[], kind: string, key: string, name = key) => {
  const kept = lines.filter((l) => {
    const v = at(l, key);
    return l.kind === kind && typeof v === "number" && Number.isFinite(v);
  });
  return { name, x: kept.map((l) => Number(l.step)), y: kept.map((l) => at(l, key) as number) };
};

/**
 * The figures, one quantity per panel.
 *
 * @example
 * ```ts
 * import { policyReportFigures } from "./policy_report.ts";
 * import { assertEquals } from "@std/assert";
 * const figs = policyReportFigures([
 *   { kind: "eval", step: 0, "eval/quality": 4, "eval/sampled_quality": 2, "eval/exact_rate": 0.3 },
 *   { kind: "train", step: 1, "policy/quality": 2.5, "judge/reward_mean": 5, kl: 0, "judge/seconds": 1, "policy/seconds": 2 },
 * ]);
 * assertEquals(figs.map((f) => f.layout.title?.text), [
 *   "Hidden quality of the sampled answers", "The judge's reward", "Held-out quality",
 *   "Held-out exact-answer rate", "KL to the policy's start", "Seconds per step",
 * ]);
 * ```
 */
export function policyReportFigures(lines: readonly MetricsRecord[]): Figure[] {
  const chart = (
    data: ReturnType<typeof series>[],
    title: string,
    yTitle: string,
  ) => lineChart(data, { title, xTitle: "step", yTitle });
  return [
    chart(
      [series(lines, "train", "policy/quality", "quality")],
      "Hidden quality of the sampled answers",
      "mean quality (/10)",
    ),
    chart(
      [series(lines, "train", "judge/reward_mean", "judge reward")],
      "The judge's reward",
      "mean reward",
    ),
    chart(
      [
        series(lines, "eval", "quality", "greedy"),
        series(lines, "eval", "sampled_quality", "sampled (T = 1)"),
      ],
      "Held-out quality",
      "mean quality (/10)",
    ),
    chart(
      [
        series(lines, "eval", "exact_rate", "greedy"),
        series(lines, "eval", "sampled_exact_rate", "sampled (T = 1)"),
      ],
      "Held-out exact-answer rate",
      "share exact",
    ),
    chart([series(lines, "train", "kl", "kl")], "KL to the policy's start", "KL"),
    chart(
      [
        series(lines, "train", "judge/seconds", "judge"),
        series(lines, "train", "policy/seconds", "policy (sample + update)"),
      ],
      "Seconds per step",
      "seconds",
    ),
  ];
}

const f2 = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : "-");
const pct = (v: unknown) => (typeof v === "number" ? `${(100 * v).toFixed(1)}%` : "-");

/**
 * The header lines.
 *
 * @example
 * ```ts
 * import { policyReportSummary } from "./policy_report.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(policyReportSummary({
 *   config: { judge: "oracle", steps: 2 },
 *   lines: [
 *     { kind: "eval", step: 0, "eval/quality": 4, "eval/exact_rate": 0.25, "eval/sampled_quality": 2 },
 *     { kind: "train", step: 2 },
 *     { kind: "hacking", step: 2, judgeChange: 1, qualityChange: -0.5 },
 *     { kind: "eval", step: 2, quality: 5, exact_rate: 0.5, sampled_quality: 3 },
 *     { kind: "session", step: 2, seconds: 30, backend: "wasm" },
 *   ],
 * }), [
 *   "Reproduce: deno task policy --judge oracle --steps 2",
 *   "Step 2 of 2 on wasm, 30 s of training; judge oracle.",
 *   "Held-out greedy quality 4.00 -> 5.00 /10 (exact 25.0% -> 50.0%); sampled quality 2.00 -> 3.00.",
 *   "Reward-hacking flags: step 2 (judge reward +1.00, hidden quality -0.50 over the window).",
 * ]);
 * ```
 */
export function policyReportSummary(
  run: { config: Record<string, unknown>; lines: readonly MetricsRecord[] },
): string[] {
  const { config, lines } = run;
  const out = [`Reproduce: deno task policy ${policyFlags(config).join(" ")}`];
  const step = lines.filter((l) => l.kind === "train").at(-1)?.step ?? 0;
  const sessions = lines.filter((l) => l.kind === "session");
  const seconds = sessions.reduce((a, l) => a + Number(l.seconds ?? 0), 0);
  const backends = [...new Set(sessions.map((l) => String(l.backend)))].join(", ");
  out.push(
    `Step ${step} of ${config.steps}${backends ? ` on ${backends}` : ""}${
      sessions.length
        ? `, ${
          seconds < 60 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`
        } of training`
        : ""
    }; judge ${config.judge}${config.judgeCheckpoint ? ` (${config.judgeCheckpoint})` : ""}.`,
  );
  const evals = lines.filter((l) => l.kind === "eval");
  const first = evals[0], last = evals.at(-1);
  out.push(
    first && last
      ? `Held-out greedy quality ${f2(at(first, "quality"))} -> ${
        f2(at(last, "quality"))
      } /10 (exact ${pct(at(first, "exact_rate"))} -> ${
        pct(at(last, "exact_rate"))
      }); sampled quality ${f2(at(first, "sampled_quality"))} -> ${
        f2(at(last, "sampled_quality"))
      }.`
      : "No held-out evaluation was logged yet.",
  );
  const flags = lines.filter((l) => l.kind === "hacking");
  out.push(
    config.judge === "pairwise"
      ? "Reward-hacking check: not applicable (a pairwise judge's win shares average 1/2 in every group)."
      : flags.length === 0
      ? "Reward-hacking flags: none."
      : `Reward-hacking flags: ${
        flags.map((l) =>
          `step ${l.step} (judge reward ${Number(l.judgeChange) >= 0 ? "+" : ""}${
            f2(l.judgeChange)
          }, hidden quality ${f2(l.qualityChange)} over the window)`
        ).join("; ")
      }.`,
  );
  return out;
}

/** The whole page. */
export function policyReportHtml(
  run: { name: string; config: Record<string, unknown>; lines: readonly MetricsRecord[] },
  options: { plotlyJs?: PlotlyJs } = {},
): string {
  const evals = run.lines.filter((l) => l.kind === "eval");
  return reportPage(policyReportFigures(run.lines), {
    title: `Policy run ${run.name}`,
    summary: policyReportSummary(run),
    plotlyJs: options.plotlyJs,
    tables: [
      {
        title: "Evaluations",
        rows: evals.map((e) => [
          `step ${e.step}`,
          `greedy quality ${f2(at(e, "quality"))}`,
          `exact ${pct(at(e, "exact_rate"))}`,
          `sampled quality ${f2(at(e, "sampled_quality"))}`,
          `sampled exact ${pct(at(e, "sampled_exact_rate"))}`,
          `n ${at(e, "n")}`,
        ]),
      },
      {
        title: "Run config",
        rows: Object.entries(run.config).map(([k, v]) => [k, JSON.stringify(v)]),
      },
    ],
  });
}
