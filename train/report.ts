/**
 * The run report: figures built from the metrics a run logged (pure: lines in, figures out), and
 * the self-contained `report.html` around them.
 *
 * @module
 */
import { boxPlot, histogram, lineChart } from "../viz/charts.ts";
import type { Figure } from "../viz/figure.ts";
import { selfContainedHtml } from "../viz/html_report.ts";
import type { PlotlyJs } from "../viz/load_plotly.ts";
import { escapeXml } from "../viz/svg.ts";

/** One line of metrics.jsonl. */
export type MetricsLine =
  & { kind: "train" | "eval" | "skip" | "session" | "config_change"; step: number }
  & Record<string, unknown>;

/** One line of samples.jsonl (only the fields the report reads). */
export type SampleLine = { step: number; side: "chosen" | "rejected"; scoreUsed: number };

const series = (lines: readonly MetricsLine[], key: string) => {
  const kept = lines.filter((l) => typeof l[key] === "number" && Number.isFinite(l[key]));
  return { x: kept.map((l) => l.step), y: kept.map((l) => l[key] as number) };
};

/**
 * The report's figures: reward and accuracy, held-out pairwise accuracy, scores per side and score
 * variance (the collapse monitor), KL/entropy/clip ratio, and the chosen-vs-rejected score
 * distributions at a few sampled steps.
 *
 * @example
 * ```ts
 * import { reportFigures } from "./report.ts";
 * import { assertEquals } from "@std/assert";
 * const figs = reportFigures([
 *   { kind: "train", step: 1, "reward/mean": 0.1, acc: 0.5 },
 *   { kind: "eval", step: 1, accuracy: 0.6, strict_accuracy: 0.55 },
 * ], []);
 * assertEquals(figs[0].layout.title?.text, "Training reward");
 * ```
 */
export function reportFigures(
  lines: readonly MetricsLine[],
  samples: readonly SampleLine[],
): Figure[] {
  const train = lines.filter((l) => l.kind === "train");
  const evals = lines.filter((l) => l.kind === "eval");
  const line = (name: string, lines2: readonly MetricsLine[], key: string) => ({
    name,
    ...series(lines2, key),
  });
  const figures: Figure[] = [
    lineChart([
      line("reward mean", train, "reward/mean"),
      line("acc (share of +1 rewards)", train, "acc"),
    ], { title: "Training reward", xTitle: "step" }),
    lineChart([
      { ...line("pairwise accuracy (tie = 0.5)", evals, "accuracy"), mode: "lines+markers" },
      { ...line("strict accuracy", evals, "strict_accuracy"), mode: "lines+markers" },
      { ...line("tie rate", evals, "tie_rate"), mode: "lines+markers" },
      { ...line("parse-error rate", evals, "parse_error_rate"), mode: "lines+markers" },
      // synthetic runs: a perfect critique-to-score map's accuracy (eval/critique_ceiling.ts)
      ...(evals.some((l) => typeof l.critique_ceiling === "number")
        ? [{
          ...line("critique ceiling", evals, "critique_ceiling"),
          mode: "lines+markers" as const,
        }]
        : []),
    ], { title: "Held-out evaluation (greedy)", xTitle: "step" }),
    lineChart([
      line("chosen score mean", train, "score/chosen_mean"),
      line("rejected score mean", train, "score/rejected_mean"),
      line("score variance", train, "score/variance"),
    ], { title: "Scores per side and score variance (collapse monitor)", xTitle: "step" }),
    lineChart([
      line("kl", train, "kl"),
      line("entropy", train, "entropy"),
      line("clip ratio", train, "clip_ratio"),
      line("format violation rate", train, "format_violation_rate"),
      line("frac_reward_zero_std", train, "frac_reward_zero_std"),
    ], { title: "Policy statistics", xTitle: "step" }),
  ];
  const steps = [...new Set(samples.map((s) => s.step))].sort((a, b) => a - b);
  if (steps.length > 0) {
    const picked = [...new Set([steps[0], steps[Math.floor(steps.length / 2)], steps.at(-1)!])];
    figures.push(boxPlot(
      picked.flatMap((step) =>
        (["chosen", "rejected"] as const).map((side) => ({
          name: `${side} @ step ${step}`,
          values: samples.filter((s) => s.step === step && s.side === side).map((s) => s.scoreUsed),
        }))
      ).filter((box) => box.values.length > 0), // a step logged with one side only: no empty box
      { title: "Score distributions, chosen vs rejected (sampled rollouts)", yTitle: "score" },
    ));
    const lastStep = steps.at(-1)!;
    figures.push(histogram(
      (["chosen", "rejected"] as const).map((side) => ({
        name: side,
        values: samples.filter((s) => s.step === lastStep && s.side === side).map((s) =>
          s.scoreUsed
        ),
      })),
      {
        title: `Scores at step ${lastStep}`,
        xTitle: "score",
        bins: { start: -0.5, end: 10.5, size: 1 },
      },
    ));
  }
  return figures;
}

/** The whole page: figures plus the run config and the final evaluation as tables. */
export function reportHtml(
  run: {
    name: string;
    config: Record<string, unknown>;
    lines: readonly MetricsLine[];
    samples: readonly SampleLine[];
  },
  options: { plotlyJs?: PlotlyJs } = {},
): string {
  const figures = reportFigures(run.lines, run.samples);
  const page = selfContainedHtml(figures, {
    title: `IRPM run ${run.name}`,
    plotlyJs: options.plotlyJs,
  });
  const evals = run.lines.filter((l) => l.kind === "eval");
  const rows = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([k, v]) => `<tr><td>${escapeXml(k)}</td><td>${escapeXml(JSON.stringify(v))}</td></tr>`)
      .join("");
  const tables = `<h2>Evaluations</h2><table>${
    evals.map((e) =>
      `<tr><td>step ${e.step}</td><td>acc ${fmt(e.accuracy)}</td><td>strict ${
        fmt(e.strict_accuracy)
      }</td>` +
      `<td>ties ${fmt(e.tie_rate)}</td><td>parse errors ${
        fmt(e.parse_error_rate)
      }</td><td>n ${e.n}</td></tr>`
    ).join("")
  }</table>\n<h2>Run config</h2><table>${rows(run.config)}</table>\n`;
  // Splice by index: String.replace would expand "$&", "$'"... inside config values.
  const end = page.lastIndexOf("</body>");
  return page.slice(0, end) + tables + page.slice(end);
}

const fmt = (v: unknown) => (typeof v === "number" ? (100 * v).toFixed(1) + "%" : "-");
