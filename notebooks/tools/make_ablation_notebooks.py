"""Writes notebooks/03_ablations.ipynb and 04_ties_and_voting.ipynb (unexecuted) from what results/ holds.

Run after shipping a grid: python3 notebooks/tools/make_ablation_notebooks.py, then deno task notebooks:run.
The notebooks stay thin: their logic is in notebooks/lib (tested); this only lays out the cells."""
import json, os
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
META = {"kernelspec": {"display_name": "Deno", "language": "typescript", "name": "deno"},
        "language_info": {"codemirror_mode": "typescript", "file_extension": ".ts", "mimetype": "text/x.typescript",
                          "name": "typescript", "nbconvert_exporter": "script", "pygments_lexer": "typescript", "version": "6.0.3"}}

def md(text): return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}
def table(text):
    """A cell whose last line displays a table (waits like a figure; tagged for the notebook test)."""
    return code(text, tag="table")
def code(text, figure=False, tag=None):
    tags = (["figure"] if figure else []) + ([tag] if tag else [])
    return {"cell_type": "code", "metadata": {"tags": tags} if tags else {}, "execution_count": None,
            "outputs": [], "source": text.strip("\n")}
def have(grid): return os.path.exists(f"{ROOT}/results/{grid}/provenance.json")

def not_shipped(grid):
    return code(f'''
await status("{grid}");
''', tag="verdict")

cells = [md('''
# 03 · The paper's ablations, reproduced

Each section states one ablation claim of the IRPM paper (arXiv 2601.00677) with the paper's numbers,
draws the kit's measurement from the **shipped results** (`results/<grid>/`, written by
`deno task sweep sweeps/<grid>.json --results results/<grid>`: mean ± standard error over 3 seeds of
the default 150-step run on the synthetic suite, small preset, wasm CPU), and computes a verdict in
the cell. The seed also draws the held-out set, so every comparison with a baseline cell is paired by
seed; a difference counts when its 95% t-interval excludes 0.

Nothing here trains: the notebook reads files and runs in seconds. `IRPM_RERUN=1` re-runs each grid
with the same command first (hours on a CPU; `--jobs` follows the cores). A grid that has not been
shipped yet says so and names the command that produces it.
'''),
code('''
import * as pl from "nodejs-polars";
import { barChart, createPlotSession, type Figure, lineChart, showFigure, showMarkdown, showTable } from "../viz/mod.ts";
import {
  type AblationResults,
  baselineBestCheck,
  type ClaimCheck,
  comparisons,
  curveColumn,
  curveSeries,
  estimatorTrend,
  fineGroupSizeCheck,
  formatComparison,
  groupSizeCheck,
  klCheck,
  loadGrid,
  notShippedText,
  metricSeries,
  RESULTS_DIR,
  rewardDesignCheck,
  verdictText,
  weakPreferenceCheck,
} from "./lib/mod.ts";

const session = createPlotSession({ idPrefix: "irpm03" });
const show = (figure: Figure) => showFigure(figure, { session, display: Deno.jupyter.display });

// a grid's shipped results; IRPM_RERUN=1 runs the grid again first, by its own command
const load = (grid: string) => loadGrid(grid, { rerun: Deno.env.get("IRPM_RERUN") === "1" });
// Markdown (verdicts) is displayed, then the cell waits a moment so headless runs keep it.
const say = (text: string) => showMarkdown(text, { display: Deno.jupyter.display });
const status = (grid: string) => say(notShippedText(grid));
// a verdict from a grid with unfinished runs says it is provisional and which runs it lacks
const verdict = (claim: string, check: ClaimCheck, results?: AblationResults) =>
  say(verdictText(claim, check, results));
const table = (r: AblationResults) =>
  showTable(pl.DataFrame(r.rows.map((row) => ({
    cell: row.group,
    seeds: row.seeds.length,
    accuracy: row.metrics.accuracy.mean,
    se: row.metrics.accuracy.se,
    vs_baseline: row.pairedAccuracyDiff === null ? "baseline" : formatComparison(comparisons(r).get(row.group)!),
    critique_ceiling: row.metrics.critiqueCeiling.mean,
    ties: row.metrics.tieRate.mean,
    steps_per_s: row.metrics.stepsPerSecond.mean,
  }))), { display: Deno.jupyter.display });
/** Only the cells whose `key` is a number (e.g. the fixed margins, without "adaptive"). */
const numeric = (r: AblationResults, key: string) =>
  ({ ...r, rows: r.rows.filter((row) => typeof row.settings[key] === "number") });
'''),
md('''
## 1. Group size G

**Paper:** G = 4 is best; G = 2 underperforms and trains with higher variance; G = 8 costs more with
no accuracy gain (a finer sweep G in {2, 3, 4, 5, 6, 8} in `sweeps/group_size_fine.json`).
''')]
if have("group_size"):
    cells += [table('''
const groupSize = (await load("group_size"))!;
await table(groupSize);
'''), code('''
await show(lineChart([metricSeries(groupSize, { setting: "groupSize", metric: "accuracy", name: "held-out accuracy" }),
  metricSeries(groupSize, { setting: "groupSize", metric: "critiqueCeiling", name: "critique ceiling" })], {
  title: "Final held-out accuracy vs group size (mean ± se over 3 seeds)", xTitle: "G", yTitle: "accuracy",
}));
''', True), code('''
await show(lineChart([metricSeries(groupSize, { setting: "groupSize", metric: "stepsPerSecond", name: "steps/s" })], {
  title: "Cost: training steps per second vs group size (one wasm core)", xTitle: "G", yTitle: "steps/s",
}));
''', True), code('''
await verdict("G = 4 best, G = 2 worse, G = 8 no gain at more cost", groupSizeCheck(groupSize));
''', tag="verdict")]
else:
    cells.append(not_shipped("group_size"))
cells.append(md('''
### The finer sweep, G in {2, 3, 4, 5, 6, 8}

The G = 2, 4 and 8 cells are the coarse grid's runs (the same commands); G = 3, 5 and 6 are new.
**Cost here is not comparable across cells:** G = 2, 4 and 8 ran with two jobs on the 2-core machine,
while G = 5 and 6 (and part of G = 3) ran while five to seven processes shared those 2 cores (other
grids and the policy experiments of notebook 05), so their steps per second understate their speed;
the cost part of the verdict below is computed anyway and says so. What the compute is: G rollouts
per response, so the sampling work per step grows linearly with G (see the coarse grid's steps/s).
'''))
if have("group_size_fine"):
    cells += [table('''
const fine = (await load("group_size_fine"))!;
await table(fine);
'''), code('''
await show(lineChart([metricSeries(fine, { setting: "groupSize", metric: "accuracy", name: "held-out accuracy" }),
  metricSeries(fine, { setting: "groupSize", metric: "critiqueCeiling", name: "critique ceiling" })], {
  title: "Final held-out accuracy vs G, the finer sweep (mean ± se over 3 seeds)", xTitle: "G", yTitle: "accuracy",
  xTickValues: [2, 3, 4, 5, 6, 8],
}));
''', True), code('''
await verdict("G = 4 best of {2, 3, 4, 5, 6, 8}, G = 2 worse, cost grows with G", fineGroupSizeCheck(fine));
''', tag="verdict")]
else:
    cells.append(not_shipped("group_size_fine"))

cells.append(md('''
## 2. Reward designs over 600 steps

**Paper:** IRPM-Mean is the most stable; IRPM-Preference's score variance keeps growing until training
collapses around steps 400-600; IRPM-Interval is the most conservative; median and winrate in
between. (150-step runs in the README's compare table: all four within a point, preference's variance
growing.)
'''))
if have("reward_design"):
    cells += [table('''
const designs = (await load("reward_design"))!;
await table(designs);
'''), code('''
await show(lineChart(curveSeries(designs, { source: "train", column: curveColumn(designs, { source: "train", field: "score/variance" }) }), {
  title: "Score variance per step by reward design (mean over seeds)", xTitle: "step", yTitle: "score variance",
}));
''', True), code('''
await show(lineChart(curveSeries(designs, { source: "eval", column: curveColumn(designs, { source: "eval", field: "accuracy" }) }), {
  title: "Held-out accuracy per evaluation by reward design (mean over seeds)", xTitle: "step", yTitle: "accuracy",
}));
''', True), code('''
await show(lineChart(curveSeries(designs, { source: "train", column: curveColumn(designs, { source: "train", field: "score/gap" }) }), {
  title: "Chosen-minus-rejected score gap in training by reward design (mean over seeds)", xTitle: "step", yTitle: "score gap",
}));
''', True), code('''
await verdict("Mean most stable, Preference's variance grows until collapse, Interval most conservative, median and winrate between", rewardDesignCheck(designs), designs);
''', tag="verdict")]
else:
    cells.append(not_shipped("reward_design"))

cells.append(md('''
## 3. Margin δ

**Paper:** δ = 0 for plain labels; with strength labels the adaptive margin δ = strength − 2.
'''))
if have("margin"):
    cells += [table('''
const margin = (await load("margin"))!;
await table(margin);
'''), code('''
const adaptive = margin.rows.find((r) => r.settings.margin === "adaptive")!.metrics.accuracy.mean!;
const fixed = numeric(margin, "margin");
await show(lineChart([
  metricSeries(fixed, { setting: "margin", metric: "accuracy", name: "fixed δ: held-out accuracy" }),
  metricSeries(fixed, { setting: "margin", metric: "critiqueCeiling", name: "fixed δ: critique ceiling" }),
  { name: "adaptive δ = strength − 2: held-out accuracy", x: [0, 1.5], y: [adaptive, adaptive], mode: "lines", dash: "dash" },
], { title: "Final held-out accuracy vs margin δ (mean ± se over 3 seeds)", xTitle: "δ (score points)", yTitle: "accuracy" }));
''', True), code('''
await verdict("the adaptive margin is not beaten by a fixed one", baselineBestCheck(margin, { key: "margin", baseline: "adaptive", label: "δ" }));
''', tag="verdict")]
else:
    cells.append(not_shipped("margin"))

cells.append(md('''
## 4. Sampling temperature and the KL coefficient

**Paper:** trains at temperature 1.0 with KL coefficient 0.001. **The kit** defaults to KL 0.2: at
0.001, RL rewrites the critiques (their stated error counts stop tracking the response) and the
ranking falls with them. The grid measures that choice over 3 seeds.
'''))
if have("kl"):
    cells += [table('''
const kl = (await load("kl"))!;
await table(kl);
'''), code('''
await show(lineChart([
  ...curveSeries(kl, { source: "eval", column: curveColumn(kl, { source: "eval", field: "accuracy" }) }).map((s) => ({ ...s, name: `accuracy, ${s.name}` })),
  ...curveSeries(kl, { source: "eval", column: curveColumn(kl, { source: "eval", field: "critique_ceiling" }) })
    .map((s) => ({ ...s, name: `ceiling, ${s.name}`, dash: "dot" as const })),
], { title: "Held-out accuracy and critique ceiling per step, by KL coefficient (mean over seeds)", xTitle: "step", yTitle: "accuracy" }));
''', True), code('''
await verdict("the kit's KL 0.2 over the paper's 0.001", klCheck(kl));
''', tag="verdict")]
else:
    cells.append(not_shipped("kl"))
if have("temperature"):
    cells += [table('''
const temperature = (await load("temperature"))!;
await table(temperature);
'''), code('''
await show(lineChart([metricSeries(temperature, { setting: "temperature", metric: "accuracy", name: "held-out accuracy" }),
  metricSeries(temperature, { setting: "temperature", metric: "critiqueCeiling", name: "critique ceiling" })], {
  title: "Final held-out accuracy vs sampling temperature (mean ± se over 3 seeds)", xTitle: "temperature", yTitle: "accuracy",
}));
''', True), code('''
await verdict("the released temperature 1.0 is not beaten", baselineBestCheck(temperature, { key: "temperature", baseline: 1, label: "T" }));
''', tag="verdict")]
else:
    cells.append(not_shipped("temperature"))

cells.append(md('''
## 5. Weak preferences

**Paper:** the recipe drops |label| ≤ 1 (about half of HelpSteer3). The grid trains with and without
that filter; the held-out set keeps the weak pairs in both runs (`--test-min-strength 1`), and the
summary splits accuracy into strong and weak held-out pairs.
'''))
if have("weak_preferences"):
    cells += [table('''
const weak = (await load("weak_preferences"))!;
await table(weak);
'''), code('''
await show(barChart([
  { name: "strong held-out pairs (|p| >= 2)", categories: weak.rows.map((r) => r.group), values: weak.rows.map((r) => r.metrics.strongAccuracy.mean ?? NaN) },
  { name: "weak held-out pairs (|p| = 1)", categories: weak.rows.map((r) => r.group), values: weak.rows.map((r) => r.metrics.weakAccuracy.mean ?? NaN) },
], { title: "Held-out accuracy on strong and weak pairs: the recipe's filter (min-strength 2) vs training on weak pairs too (1)", yTitle: "accuracy (ties 0.5)" }));
''', True), code('''
await verdict("dropping weak pairs costs nothing", weakPreferenceCheck(weak));
''', tag="verdict")]
else:
    cells.append(not_shipped("weak_preferences"))

cells.append(md('''
## 6. Ties and voting

In notebook 04 (`04_ties_and_voting.ipynb`), from `deno task voting`.

## 7. The estimator's signal over training

Every step logs the intergroup estimator's diagnostics (`estimator/*` in metrics.jsonl): the pooled
within-group variance of the scores (the noise each rollout's reward sees), the squared gap of the
group means (the signal), and their ratio. Below for the default run (KL 0.2 cells of the KL grid).
'''))
if have("kl"):
    cells += [code('''
const group = kl.rows.find((r) => r.settings.klCoef === 0.2)!.group;
const pick = (field: string) => curveSeries(kl, { source: "train", column: curveColumn(kl, { source: "train", field }) }).find((s) => s.name === group)!;
await show(lineChart([
  { ...pick("estimator/within_var"), name: "within-group variance" },
  { ...pick("estimator/between_var"), name: "between-group variance" },
], { title: "Score variance within vs between the chosen and rejected groups (default run, mean over seeds)", xTitle: "step", yTitle: "variance" }));
''', True), code('''
await show(lineChart([{ ...pick("estimator/snr"), name: "between / within" }], {
  title: "Signal-to-noise of the intergroup estimate per step", xTitle: "step", yTitle: "ratio",
}));
''', True), code('''
const trend = estimatorTrend(kl, group);
const f = (x: number) => x.toFixed(2);
await say(`- within-group variance: ${f(trend["estimator/within_var"].first)} (first fifth of the steps) -> ${f(trend["estimator/within_var"].last)} (last fifth)
- between-group variance: ${f(trend["estimator/between_var"].first)} -> ${f(trend["estimator/between_var"].last)}
- signal-to-noise (between / within): ${f(trend["estimator/snr"].first)} -> ${f(trend["estimator/snr"].last)}

**verdict: the signal ${trend["estimator/snr"].last > trend["estimator/snr"].first ? "rises" : "does not rise"} over training**`);
''', tag="verdict")]
else:
    cells.append(not_shipped("kl"))

nb = {"cells": cells, "metadata": META, "nbformat": 4, "nbformat_minor": 5}
json.dump(nb, open(f"{ROOT}/notebooks/03_ablations.ipynb", "w"), indent=1)

# --- 04
vcells = [md('''
# 04 · Ties and voting

**Paper:** greedy judging leaves 8.2% of pairs tied; voting@8 (the mean of 8 sampled scores) adds
+4.1 points at 8x the compute. **The kit measured** 24.6% ties and voting@4 at 73.0%, *below* greedy
(82.6%), for the default checkpoint. This notebook measures why, from `deno task voting` (shipped in
`results/voting/`): greedy against voting@k for k = 1, 2, 4, 8 at sampling temperatures 0.5, 0.7 and
1.0, with the compute each costs (judge calls, generated tokens, seconds), and the **critique
ceiling** of the sampled critiques — the accuracy of ranking by the error counts they state. If
sampled critiques are worse evidence than greedy ones, averaging votes averages worse evidence.

`IRPM_RERUN=1` runs the recorded commands again (their checkpoints must exist under `runs/`).
'''), code('''
import * as pl from "nodejs-polars";
import { barChart, createPlotSession, type Figure, lineChart, showFigure, showTable } from "../viz/mod.ts";
import {
  critiqueBars,
  loadVotingStudies,
  readoutCheck,
  readoutSummary,
  RESULTS_DIR,
  votingCheck,
  votingSeries,
} from "./lib/mod.ts";

const session = createPlotSession({ idPrefix: "irpm04" });
const show = (figure: Figure) => showFigure(figure, { session, display: Deno.jupyter.display });
const dir = new URL("voting/", RESULTS_DIR);
let studies = await loadVotingStudies(dir);
if (Deno.env.get("IRPM_RERUN") === "1") {
  for (const s of studies) {
    const args = ["task", "voting", ...(s.provenance.argv as string[])];
    const { code } = await new Deno.Command(Deno.execPath(), { args, cwd: new URL("..", RESULTS_DIR).pathname }).output();
    if (code !== 0) throw new Error(`${s.provenance.command} failed (exit ${code})`);
  }
  studies = await loadVotingStudies(dir);
}
Deno.jupyter.md`${studies.length ? studies.map((s) => `- ${s.name}: ${s.n} held-out pairs`).join("\\n") : "No voting study shipped yet: `deno task voting <checkpoint> --json results/voting/<name>.json`."}`
''')]
vdir = f"{ROOT}/results/voting"
studies = sorted(f for f in os.listdir(vdir) if f.endswith(".json")) if os.path.isdir(vdir) else []
for i, f in enumerate(studies):
    name = json.load(open(f"{vdir}/{f}"))["name"]
    vcells += [md(f"## {name}"), table(f'''
const s{i} = studies[{i}];
await showTable(pl.DataFrame(s{i}.rows.map((r) => ({{ method: r.method, accuracy: r.accuracy, se: r.accuracySe, strict: r.strictAccuracy, ties: r.tieRate, calls: r.calls, tokens: r.tokens, seconds: Number(r.seconds.toFixed(1)) }}))), {{ display: Deno.jupyter.display }});
'''), code(f'''
await show(lineChart(votingSeries(s{i}), {{ title: `{name}: held-out accuracy of voting@k by temperature (greedy dashed)`, xTitle: "k (samples per response)", yTitle: "accuracy (ties 0.5)" }}));
''', True), code(f'''
await show(lineChart(votingSeries(s{i}, "tieRate"), {{ title: `{name}: tie rate of voting@k by temperature`, xTitle: "k", yTitle: "tie rate" }}));
''', True), code(f'''
await show(barChart(critiqueBars(s{i}), {{ title: `{name}: critique ceiling of greedy and sampled critiques`, yTitle: "accuracy of ranking by stated errors" }}));
''', True), code(f'''
const check{i} = votingCheck(s{i});
await Deno.jupyter.display(Deno.jupyter.md`${{([["the paper's claim", check{i}.claim], ["the explanation", check{i}.explanation], ["at a lower temperature", check{i}.lowerTemperature]] as const)
  .filter(([, c]) => c !== null)
  .map(([label, c]) => `**verdict, ${{label}}: ${{c!.verdict}}**\n\n${{c!.parts.map((p) => `- ${{p}}`).join("\\n")}}`).join("\\n\\n")}}`);
await new Promise((resolve) => setTimeout(resolve, 300));
''', tag="verdict")]
vcells.append(md('''
## Ties without voting: the expected-score readout (open question 1)

The paper leaves greedy's ties (8.2% there) to voting@8, at 8x the judgments. A GRM writes its
score as tokens, so after its greedy critique one forward pass at the score position (plus one
single-token step per further digit) gives its whole distribution over the valid score strings
`0`..`10` (`eval/score_readout.ts`). The **expected** score is continuous, so two responses almost
never tie; the **median** is the distribution's middle value. Measured with `deno task voting` on
the default run's checkpoint of each seed (the KL grid's KL 0.2 cells), each on its own held-out
pairs, against greedy and voting@k at T = 0.7 and 1, with the Spearman correlation of each
response's score with its hidden quality.
'''))
rdir = f"{ROOT}/results/readout"
if os.path.isdir(rdir) and any(f.endswith(".json") for f in os.listdir(rdir)):
    vcells += [table('''
const readouts = await loadVotingStudies(new URL("readout/", RESULTS_DIR));
const pct = (m: { mean: number | null; se: number | null }) =>
  m.mean === null ? null : Number((100 * m.mean).toFixed(1));
await showTable(pl.DataFrame(readoutSummary(readouts).map((r) => ({
  method: r.method,
  seeds: r.accuracy.n,
  accuracy: pct(r.accuracy),
  se: pct({ mean: r.accuracy.se, se: null }),
  strict: pct(r.strictAccuracy),
  ties: pct(r.tieRate),
  spearman: r.spearman.mean === null ? null : Number(r.spearman.mean.toFixed(3)),
  judge_calls: r.calls.mean,
  seconds: r.seconds.mean === null ? null : Number(r.seconds.mean.toFixed(1)),
}))), { display: Deno.jupyter.display });
'''), code('''
const summary = readoutSummary(readouts);
await show(barChart([
  { name: "accuracy (ties 0.5)", categories: summary.map((r) => r.method), values: summary.map((r) => r.accuracy.mean ?? NaN) },
  { name: "strict accuracy (ties 0)", categories: summary.map((r) => r.method), values: summary.map((r) => r.strictAccuracy.mean ?? NaN) },
  { name: "tie rate", categories: summary.map((r) => r.method), values: summary.map((r) => r.tieRate.mean ?? NaN) },
], { title: `Greedy, the expected-score readout and voting (mean over ${readouts.length} seeds)`, yTitle: "share of held-out pairs" }));
''', True), code('''
const q1 = readoutCheck(readouts);
await Deno.jupyter.display(Deno.jupyter.md`**verdict (open question 1, ties without voting, expected-score readout vs greedy): ${q1.verdict}**

${q1.parts.map((p) => `- ${p}`).join("\\n")}`);
await new Promise((resolve) => setTimeout(resolve, 300));
''', tag="verdict")]
else:
    vcells.append(code('''
await Deno.jupyter.display(Deno.jupyter.md`\\`results/readout/\\` is not shipped yet.

**verdict: not yet measured**`);
await new Promise((resolve) => setTimeout(resolve, 300));
''', tag="verdict"))

nb = {"cells": vcells, "metadata": META, "nbformat": 4, "nbformat_minor": 5}
json.dump(nb, open(f"{ROOT}/notebooks/04_ties_and_voting.ipynb", "w"), indent=1)
print("wrote 03 and 04;", "grids:", [g for g in ["group_size","reward_design","margin","kl","temperature","weak_preferences"] if have(g)], "voting:", studies)
