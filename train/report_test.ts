import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import type { ScatterTrace } from "../viz/figure.ts";
import { type MetricsLine, reportFigures, reportHtml, type SampleLine } from "./report.ts";

const LINES: MetricsLine[] = [
  {
    kind: "eval",
    step: 0,
    "eval/accuracy": 0.5,
    "eval/strict_accuracy": 0.4,
    "eval/tie_rate": 0.2,
    "eval/n": 10,
  },
  { kind: "train", step: 1, reward: -0.5, rollout_win_rate: 0.25, kl: 0, "score/variance": 4 },
  { kind: "train", step: 2, reward: 0.1, rollout_win_rate: 0.5, kl: 0.01, "score/variance": 3 },
  { kind: "skip", step: 2, reason: "non-finite loss" },
  // a NaN that went through JSON is null: left out of the series, not drawn as 0
  { kind: "train", step: 3, reward: null, rollout_win_rate: 0.75, kl: 0.02, "score/variance": 2 },
  // an older run's names: the report reads both
  { kind: "eval", step: 3, accuracy: 0.7, strict_accuracy: 0.65, tie_rate: 0.1, n: 10 },
];

const sample = (step: number, side: "chosen" | "rejected", scoreUsed: number): SampleLine => ({
  step,
  side,
  scoreUsed,
});
const SAMPLES: SampleLine[] = [
  sample(1, "chosen", 5),
  sample(1, "rejected", 4),
  sample(2, "chosen", 6),
  sample(2, "rejected", 3),
  sample(3, "chosen", 8),
  sample(3, "chosen", 7),
  sample(3, "rejected", 1),
];

const trace = (t: unknown) => t as ScatterTrace;

Deno.test("reportFigures: one quantity per panel, series from the right lines", () => {
  const figures = reportFigures(LINES, []);
  // lr, grad norm and completion length only when logged (not in LINES)
  assertEquals(figures.map((f) => f.layout.title?.text), [
    "Training reward",
    "Held-out evaluation (greedy)",
    "Mean score per side",
    "Score variance (collapse monitor)",
    "Loss",
    "KL to the reference model",
    "Policy entropy",
    "Clipping, format violations, groups without signal",
  ]);
  // every panel names its y axis
  for (const f of figures) assert(f.layout.yaxis?.title?.text, f.layout.title?.text);
  const [reward, acc] = figures[0].data.map(trace);
  assertEquals([reward.x, reward.y], [[1, 2], [-0.5, 0.1]]); // step 3's null is left out
  assertEquals([acc.x, acc.y], [[1, 2, 3], [0.25, 0.5, 0.75]]);
  const [accuracy, strict, ties, parseErrors] = figures[1].data.map(trace);
  assertEquals([accuracy.x, accuracy.y], [[0, 3], [0.5, 0.7]]); // eval lines only
  assertEquals(strict.y, [0.4, 0.65]);
  assertEquals(ties.y, [0.2, 0.1]);
  assertEquals(parseErrors.y, []); // not logged
  assertEquals(trace(figures[3].data[0]).y, [4, 3, 2]); // score variance
  assertEquals(trace(figures[5].data[0]).y, [0, 0.01, 0.02]); // kl
  const more = reportFigures([{ kind: "train", step: 1, lr: 1e-4, grad_norm: 0.3 }], []);
  assertEquals(more.map((f) => f.layout.title?.text).slice(8), ["Learning rate", "Gradient norm"]);
});

Deno.test("reportFigures: sampled scores add a box plot (first, middle, last step) and a histogram", () => {
  const figures = reportFigures(LINES, SAMPLES);
  assertEquals(figures.length, 10);
  const boxes = figures[8].data as { name: string; y: number[] }[];
  assertEquals(boxes.map((b) => b.name), [
    "chosen @ step 1",
    "rejected @ step 1",
    "chosen @ step 2",
    "rejected @ step 2",
    "chosen @ step 3",
    "rejected @ step 3",
  ]);
  assertEquals(boxes[4].y, [8, 7]);
  assertEquals(figures[9].layout.title?.text, "Scores at step 3");
  assertEquals(figures[9].data.map((h) => (h as { x: number[] }).x), [[8, 7], [1]]);
  // one sampled step: one pair of boxes; one side only: no empty box (plotting would throw)
  assertEquals(
    reportFigures([], [sample(5, "chosen", 2), sample(5, "rejected", 9)])[8].data.length,
    2,
  );
  assertEquals(reportFigures([], [sample(5, "chosen", 2)])[8].data.length, 1);
});

Deno.test("reportHtml: one complete page with the figures, evaluations and the config table", () => {
  const html = reportHtml({
    name: "runs/mean-<1>",
    config: { design: "mean", groupSize: 4, dataPath: "data/$&.jsonl", note: "a$'b" },
    lines: LINES,
    samples: SAMPLES,
  });
  assert(html.startsWith("<!DOCTYPE html>"));
  assert(html.trimEnd().endsWith("</html>"));
  assertEquals(html.match(/<\/body>/g)?.length, 1);
  assertEquals(html.match(/<svg /g)?.length, 10); // no plotly.js given: static SVG figures
  assertStringIncludes(html, "<title>IRPM run runs/mean-&lt;1&gt;</title>");
  // tables sit inside the body, after the figures; the header right under the title
  const body = html.slice(html.indexOf("<body>"), html.indexOf("</body>"));
  assert(body.indexOf('<section class="summary">') < body.indexOf("<figure>"));
  assertStringIncludes(
    body,
    "<p>Reproduce: deno task train --config runs/mean-&lt;1&gt;/config.json --force</p>",
  );
  assertStringIncludes(body, "Held-out pairwise accuracy 50.0% at step 0 -&gt; 70.0% at step 3");
  assertStringIncludes(body, "<h2>Run config</h2>");
  assertStringIncludes(body, "<tr><td>design</td><td>&quot;mean&quot;</td></tr>");
  assertStringIncludes(body, "<tr><td>groupSize</td><td>4</td></tr>");
  // "$&" and "$'" in values are kept as written (String.replace would have expanded them)
  assertStringIncludes(body, "<tr><td>dataPath</td><td>&quot;data/$&amp;.jsonl&quot;</td></tr>");
  assertStringIncludes(body, "<tr><td>note</td><td>&quot;a$&#39;b&quot;</td></tr>");
  assertMatch(body, /<tr><td>step 0<\/td><td>acc 50\.0%<\/td><td>strict 40\.0%<\/td>/);
  assertMatch(
    body,
    /<tr><td>step 3<\/td><td>acc 70\.0%<\/td>.*<td>parse errors -<\/td><td>n 10<\/td>/,
  );
});

Deno.test("reportHtml: a run with no lines yet is still a page", () => {
  const html = reportHtml({ name: "empty", config: {}, lines: [], samples: [] });
  assertStringIncludes(html, "<h2>Evaluations</h2><table></table>");
  assert(html.trimEnd().endsWith("</html>"));
});

Deno.test("reportFigures: the critique ceiling is drawn only when the eval lines carry it", () => {
  assertEquals(reportFigures(LINES, [])[1].data.length, 4);
  const withCeiling = LINES.map((l) =>
    l.kind === "eval" ? { ...l, critique_ceiling: l.step === 0 ? 0.8 : 0.85 } : l
  );
  const held = reportFigures(withCeiling, [])[1].data.map(trace);
  assertEquals(held.length, 5);
  assertEquals([held[4].name, held[4].x, held[4].y], ["critique ceiling", [0, 3], [0.8, 0.85]]);
});
