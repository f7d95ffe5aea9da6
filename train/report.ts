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
import { metricValue } from "./metric_names.ts";

/** One line of metrics.jsonl. */
export type MetricsLine =
  & { kind: "train" | "eval" | "skip" | "session" | "config_change"; step: number }
  & Record<string, unknown>;

/** One line of samples.jsonl (only the fields the report reads). */
export type SampleLine = { step: number; side: "chosen" | "rejected"; scoreUsed: number };

// by current name, or the one an older run logged (train/metric_names.ts)
const value = (l: MetricsLine, key: string) => metricValue(l, key);
const series = (lines: readonly MetricsLine[], key: string) => {
  const kept = lines.filter((l) => {
    const v = value(l, key);
    return typeof v === "number" && Number.isFinite(v);
  });
  return { x: kept.map((l) => l.step), y: kept.map((l) => value(l, key) as number) };
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
 *   { kind: "train", step: 1, reward: 0.1, rollout_win_rate: 0.5 },
 *   { kind: "eval", step: 1, "eval/accuracy": 0.6, "eval/strict_accuracy": 0.55 },
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
  const has = (key: string) => train.some((l) => typeof value(l, key) === "number");
  // one quantity per panel (or quantities on one scale), each with its y-axis title
  const figures: Figure[] = [
    lineChart([
      line("reward (mean)", train, "reward"),
      line("rollout win rate (share of rewards = 1)", train, "rollout_win_rate"),
    ], { title: "Training reward", xTitle: "step", yTitle: "reward" }),
    lineChart([
      { ...line("pairwise accuracy (tie = 0.5)", evals, "eval/accuracy"), mode: "lines+markers" },
      { ...line("strict accuracy", evals, "eval/strict_accuracy"), mode: "lines+markers" },
      { ...line("tie rate", evals, "eval/tie_rate"), mode: "lines+markers" },
      { ...line("parse-error rate", evals, "eval/parse_error_rate"), mode: "lines+markers" },
      // synthetic runs: a perfect critique-to-score map's accuracy (eval/critique_ceiling.ts)
      ...(evals.some((l) => typeof value(l, "eval/critique_ceiling") === "number")
        ? [{
          ...line("critique ceiling", evals, "eval/critique_ceiling"),
          mode: "lines+markers" as const,
        }]
        : []),
    ], {
      title: "Held-out evaluation (greedy)",
      xTitle: "step",
      yTitle: "share of held-out pairs",
    }),
    lineChart([
      line("chosen score mean", train, "score/chosen_mean"),
      line("rejected score mean", train, "score/rejected_mean"),
    ], { title: "Mean score per side", xTitle: "step", yTitle: "score (0-10)" }),
    lineChart([line("score variance", train, "score/variance")], {
      title: "Score variance (collapse monitor)",
      xTitle: "step",
      yTitle: "variance (score points²)",
    }),
    lineChart([line("loss", train, "loss")], { title: "Loss", xTitle: "step", yTitle: "loss" }),
    lineChart([line("kl", train, "kl")], {
      title: "KL to the reference model",
      xTitle: "step",
      yTitle: "KL (per token)",
    }),
    lineChart([line("entropy", train, "entropy")], {
      title: "Policy entropy",
      xTitle: "step",
      yTitle: "nats per token",
    }),
    lineChart([
      line("clip ratio", train, "clip_ratio/region_mean"),
      line("format violation rate", train, "format_violation_rate"),
      line("frac_reward_zero_std", train, "frac_reward_zero_std"),
    ], {
      title: "Clipping, format violations, groups without signal",
      xTitle: "step",
      yTitle: "rate",
    }),
    ...(has("learning_rate")
      ? [lineChart([line("learning rate", train, "learning_rate")], {
        title: "Learning rate",
        xTitle: "step",
        yTitle: "learning rate",
      })]
      : []),
    ...(has("grad_norm")
      ? [lineChart([line("grad norm (before clipping)", train, "grad_norm")], {
        title: "Gradient norm",
        xTitle: "step",
        yTitle: "L2 norm",
      })]
      : []),
    ...(has("completions/mean_length")
      ? [lineChart([line("completion length", train, "completions/mean_length")], {
        title: "Judgment length",
        xTitle: "step",
        yTitle: "tokens per rollout",
      })]
      : []),
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

/**
 * The whole page: a header ({@link reportSummary}), the figures, the evaluations and the run
 * config as tables.
 */
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
  const header = `<section class="summary">${
    reportSummary(run).map((l) => `<p>${escapeXml(l)}</p>`).join("")
  }</section>\n`;
  const evals = run.lines.filter((l) => l.kind === "eval");
  const rows = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([k, v]) => `<tr><td>${escapeXml(k)}</td><td>${escapeXml(JSON.stringify(v))}</td></tr>`)
      .join("");
  const tables = `<h2>Evaluations</h2><table>${
    evals.map((e) =>
      `<tr><td>step ${e.step}</td><td>acc ${fmt(value(e, "eval/accuracy"))}</td><td>strict ${
        fmt(value(e, "eval/strict_accuracy"))
      }</td>` +
      `<td>ties ${fmt(value(e, "eval/tie_rate"))}</td><td>parse errors ${
        fmt(value(e, "eval/parse_error_rate"))
      }</td><td>n ${value(e, "eval/n")}</td></tr>`
    ).join("")
  }</table>\n<h2>Run config</h2><table>${rows(run.config)}</table>\n`;
  // Splice by index: String.replace would expand "$&", "$'"... inside config values.
  const start = page.indexOf("</h1>") + "</h1>".length;
  const end = page.lastIndexOf("</body>");
  return page.slice(0, start) + "\n" + header + page.slice(start, end) + tables + page.slice(end);
}

/**
 * The report's header lines: the command that reproduces the run, its progress and wall time,
 * the held-out numbers at the first and the last evaluation, and why a figure is absent.
 *
 * @example
 * ```ts
 * import { reportSummary } from "./report.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(reportSummary({
 *   name: "runs/a",
 *   config: { steps: 4, sampleEvery: 10 },
 *   lines: [
 *     { kind: "eval", step: 0, "eval/accuracy": 0.5, "eval/strict_accuracy": 0.25, "eval/tie_rate": 0.5 },
 *     { kind: "train", step: 4 },
 *     { kind: "eval", step: 4, accuracy: 0.8, accuracy_se: 0.04, strict_accuracy: 0.7, tie_rate: 0.2 }, // an older run's names
 *     { kind: "session", step: 4, seconds: 90, backend: "wasm" },
 *   ],
 *   samples: [],
 * }), [
 *   "Reproduce: deno task train --config runs/a/config.json --force",
 *   "Step 4 of 4 on wasm, 1 min 30 s of training.",
 *   "Held-out pairwise accuracy 50.0% at step 0 -> 80.0% ± 4.0 at step 4 (strict 70.0%, ties 20.0%).",
 *   "No score distributions: no rollout samples were logged (--sample-every 10 is longer than this run).",
 * ]);
 * ```
 */
export function reportSummary(
  run: {
    name: string;
    config: Record<string, unknown>;
    lines: readonly MetricsLine[];
    samples: readonly SampleLine[];
  },
): string[] {
  const lines = [`Reproduce: deno task train --config ${run.name}/config.json --force`];
  const trained = run.lines.filter((l) => l.kind === "train");
  const sessions = run.lines.filter((l) => l.kind === "session");
  const seconds = sessions.reduce((a, l) => a + (typeof l.seconds === "number" ? l.seconds : 0), 0);
  const backends = [...new Set(sessions.map((l) => String(l.backend)))].join(", ");
  const step = trained.at(-1)?.step ?? 0;
  const total = typeof run.config.steps === "number" ? ` of ${run.config.steps}` : "";
  lines.push(
    `Step ${step}${total}${backends ? ` on ${backends}` : ""}${
      sessions.length ? `, ${minutes(seconds)} of training` : ""
    }.`,
  );
  const evals = run.lines.filter((l) => l.kind === "eval");
  const first = evals[0], last = evals.at(-1);
  if (first && last) {
    const at = (l: MetricsLine, key: string) => value(l, `eval/${key}`);
    const accuracySe = at(last, "accuracy_se");
    const se = typeof accuracySe === "number" ? ` ± ${(100 * accuracySe).toFixed(1)}` : "";
    const ceiling = at(last, "critique_ceiling");
    lines.push(
      `Held-out pairwise accuracy ${fmt(at(first, "accuracy"))} at step ${first.step} -> ` +
        `${fmt(at(last, "accuracy"))}${se} at step ${last.step} (strict ${
          fmt(at(last, "strict_accuracy"))
        }, ` +
        `ties ${fmt(at(last, "tie_rate"))}${
          typeof ceiling === "number" ? `, critique ceiling ${fmt(ceiling)}` : ""
        }).`,
    );
  } else {
    lines.push("No held-out evaluation was logged yet.");
  }
  if (run.samples.length === 0) {
    const every = run.config.sampleEvery;
    lines.push(
      "No score distributions: no rollout samples were logged" +
        (typeof every === "number" && every > 0 && every > step
          ? ` (--sample-every ${every} is longer than this run).`
          : every === 0
          ? " (--sample-every 0)."
          : "."),
    );
  }
  return lines;
}

const minutes = (s: number) =>
  s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

const fmt = (v: unknown) => (typeof v === "number" ? (100 * v).toFixed(1) + "%" : "-");
