/**
 * The run reports in a real browser (a GRM run's and a policy run's): `report.html` written from a run's logs is opened in headless
 * Chromium, and the rendered page must hold one drawn plotly chart per figure, each with its
 * traces, plus the evaluation table; a screenshot is taken and must not be blank.
 *
 * Needs Chromium (`/usr/bin/chromium`, or the path in IRPM_CHROMIUM); `deno task setup`
 * installs it. Without it the test fails with that instruction (it never passes silently); set
 * IRPM_SKIP_BROWSER=1 to skip it visibly instead.
 */
import { assert, assertEquals, assertGreater, assertStringIncludes } from "@std/assert";
import { type MetricsLine, reportFigures, reportHtml, type SampleLine } from "../train/report.ts";
import { loadPlotlyJs } from "../viz/load_plotly.ts";
import { browser, drawnCharts, SKIP_BROWSER } from "./_browser.ts";
import { policyReportFigures, policyReportHtml } from "../policy/policy_report.ts";

/** A 40-step run's logs: rewards rising, two evaluations, samples at three steps. */
function runLogs(): { lines: MetricsLine[]; samples: SampleLine[] } {
  const lines: MetricsLine[] = [];
  const samples: SampleLine[] = [];
  for (let step = 1; step <= 40; step++) {
    lines.push({
      kind: "train",
      step,
      reward: -0.5 + step / 40,
      rollout_win_rate: 0.3 + step / 100,
      "score/chosen_mean": 5 + step / 20,
      "score/rejected_mean": 5 - step / 20,
      "score/variance": 9 + step / 10,
      kl: step / 1000,
      entropy: 0.5,
      "clip_ratio/region_mean": 0.01,
    });
    if (step % 20 === 0 || step === 1) {
      for (let i = 0; i < 8; i++) {
        samples.push({ step, side: "chosen", scoreUsed: Math.min(10, 4 + (i % 4) + step / 10) });
        samples.push({ step, side: "rejected", scoreUsed: Math.max(0, 6 - (i % 4) - step / 10) });
      }
    }
  }
  const evalLine = (step: number, accuracy: number, strict: number, ties: number) => ({
    kind: "eval" as const,
    step,
    "eval/accuracy": accuracy,
    "eval/strict_accuracy": strict,
    "eval/tie_rate": ties,
    "eval/n": 8,
  });
  lines.push(evalLine(0, 0.52, 0.25, 0.5), evalLine(40, 0.8, 0.7, 0.2));
  return { lines, samples };
}

Deno.test({
  name: SKIP_BROWSER
    ? "report.html in headless Chromium (skipped: IRPM_SKIP_BROWSER=1)"
    : "report.html renders every figure in headless Chromium",
  ignore: SKIP_BROWSER,
  async fn() {
    const logs = runLogs();
    const figures = reportFigures(logs.lines, logs.samples);
    const html = reportHtml(
      { name: "browser-check", config: { design: "mean" }, ...logs },
      { plotlyJs: await loadPlotlyJs() },
    );
    const dir = await Deno.makeTempDir({ prefix: "irpm_report_" });
    try {
      await Deno.writeTextFile(`${dir}/report.html`, html);
      const url = `file://${dir}/report.html`;
      const dom = await browser(["--dump-dom", url]);
      // plotly marks each div it has drawn, and draws each trace in a <g>
      assertEquals(drawnCharts(dom), figures.length, "one drawn chart per figure");
      const traces = (dom.match(/class="trace (scatter|boxes|bars)\b/g) ?? []).length;
      assertGreater(traces, figures.length, "charts with their traces");
      for (const figure of figures) assertStringIncludes(dom, figure.layout.title!.text!);
      assertStringIncludes(dom, "Evaluations");
      await browser([`--screenshot=${dir}/page.png`, "--window-size=1000,1400", url]);
      const png = await Deno.readFile(`${dir}/page.png`);
      assertEquals([...png.slice(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
      // a blank page compresses to a few kB; six charts do not
      assert(png.length > 40_000, `screenshot is ${png.length} bytes: blank page?`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** A 40-step policy run's lines: the judge's reward rising, quality falling, a hacking flag. */
function policyLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const evalLine = (step: number, quality: number) => ({
    kind: "eval",
    step,
    "eval/quality": quality,
    "eval/exact_rate": quality / 20,
    "eval/sampled_quality": quality / 2,
    "eval/sampled_exact_rate": quality / 40,
    "eval/n": 256,
  });
  lines.push(evalLine(0, 4.5));
  for (let step = 1; step <= 40; step++) {
    lines.push({
      kind: "train",
      step,
      "policy/quality": 2 - step / 40,
      "judge/reward_mean": 0.1 + step / 50,
      kl: step / 400,
      "judge/seconds": 0.2,
      "policy/seconds": 0.9,
    });
  }
  lines.push({ kind: "hacking", step: 40, judgeChange: 0.4, qualityChange: -0.5 });
  lines.push(evalLine(40, 3.5));
  lines.push({ kind: "session", step: 40, seconds: 80, backend: "wasm" });
  return lines;
}

Deno.test({
  name: SKIP_BROWSER
    ? "policy report.html in headless Chromium (skipped: IRPM_SKIP_BROWSER=1)"
    : "a policy run's report.html renders every figure and its hacking flag in headless Chromium",
  ignore: SKIP_BROWSER,
  async fn() {
    const lines = policyLines();
    const figures = policyReportFigures(lines);
    const html = policyReportHtml(
      { name: "policy-check", config: { judge: "scalar", steps: 40 }, lines },
      { plotlyJs: await loadPlotlyJs() },
    );
    const dir = await Deno.makeTempDir({ prefix: "irpm_policy_report_" });
    try {
      await Deno.writeTextFile(`${dir}/report.html`, html);
      const url = `file://${dir}/report.html`;
      const dom = await browser(["--dump-dom", url]);
      assertEquals(drawnCharts(dom), figures.length, "one drawn chart per figure");
      for (const figure of figures) assertStringIncludes(dom, figure.layout.title!.text!);
      assertStringIncludes(dom, "Reward-hacking flags: step 40 (judge reward +0.40");
      assertStringIncludes(dom, "Held-out greedy quality 4.50 -&gt; 3.50 /10");
      await browser([`--screenshot=${dir}/page.png`, "--window-size=1000,1400", url]);
      const png = await Deno.readFile(`${dir}/page.png`);
      assert(png.length > 40_000, `screenshot is ${png.length} bytes: blank page?`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
