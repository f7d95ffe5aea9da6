"""Writes notebooks/06_open_questions.ipynb (unexecuted) from what results/ holds.

Run after shipping results/preference_fixes or results/weak_pairs_use:
python3 notebooks/tools/make_open_questions_notebook.py, then execute it (deno task notebooks:run).
The notebook stays thin: its tables and verdicts come from notebooks/lib/open_questions.ts (tested)."""
import json, os
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
META = {"kernelspec": {"display_name": "Deno", "language": "typescript", "name": "deno"},
        "language_info": {"codemirror_mode": "typescript", "file_extension": ".ts", "mimetype": "text/x.typescript",
                          "name": "typescript", "nbconvert_exporter": "script", "pygments_lexer": "typescript", "version": "6.0.3"}}

def md(text): return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}
def code(text, figure=False, tag=None):
    tags = (["figure"] if figure else []) + ([tag] if tag else [])
    return {"cell_type": "code", "metadata": {"tags": tags} if tags else {}, "execution_count": None,
            "outputs": [], "source": text.strip("\n")}
def have(grid): return os.path.exists(f"{ROOT}/results/{grid}/provenance.json")
def not_shipped(grid):
    return code(f'await status("{grid}");', tag="verdict")

cells = [md('''
# 06 · Beyond the paper: its open questions, measured

The IRPM paper (arXiv 2601.00677) leaves three questions open. The kit answers each with a switch,
a grid of seeded runs and a verdict computed in the cell from the **shipped results**
(`results/<grid>/`, mean ± standard error over seeds; differences are paired by seed, and count
when their 95% t-interval excludes 0). A change **helps** when some measure is clearly better and
none clearly worse, **hurts** in the opposite case, is **mixed** when both happen, and has **no
effect** otherwise.

1. *Ties without voting*: the expected-score readout, measured in notebook 04 (its verdict is
   repeated below).
2. *The soft preference reward's collapse*: two fixes that keep the direct preference objective.
3. *Weak preferences*: using the pairs the recipe drops, instead of dropping them.

Nothing here trains; `IRPM_RERUN=1` re-runs each grid with its own command first (hours on a CPU).
'''),
code('''
import * as pl from "nodejs-polars";
import { barChart, createPlotSession, type Figure, lineChart, showFigure, showMarkdown, showTable } from "../viz/mod.ts";
import {
  comparisonCell,
  curveColumn,
  curveSeries,
  gridCommand,
  loadGrid,
  notShippedText,
  loadVotingStudies,
  preferenceFixRows,
  readoutCheck,
  RESULTS_DIR,
  unfinishedRuns,
  weakPairsRows,
  withGroupsFrom,
} from "./lib/mod.ts";

const session = createPlotSession({ idPrefix: "irpm06" });
const show = (figure: Figure) => showFigure(figure, { session, display: Deno.jupyter.display });

// a grid's shipped results; IRPM_RERUN=1 runs the grid again first, by its own command
const load = (grid: string) => loadGrid(grid, { rerun: Deno.env.get("IRPM_RERUN") === "1" });
// Markdown (verdicts) is displayed, then the cell waits a moment so headless runs keep it.
const say = (text: string) => showMarkdown(text, { display: Deno.jupyter.display });
const status = (grid: string) => say(notShippedText(grid));
const pct = (m: { mean: number | null }) => (m.mean === null ? null : Number((100 * m.mean).toFixed(1)));
const se = (m: { se: number | null }) => (m.se === null ? null : Number((100 * m.se).toFixed(1)));
'''),
md('''
## 1. Ties without voting (the expected-score readout)

**Paper:** greedy judging leaves 8.2% of pairs tied; voting@8 cuts ties at 8x the judgments. The
kit reads the GRM's distribution over its score strings after one greedy critique and scores by its
expectation (`deno task eval --readout expected`); notebook 04 has the table and figure.
''')]
if os.path.isdir(f"{ROOT}/results/readout"):
    cells.append(code('''
const q1 = readoutCheck(await loadVotingStudies(new URL("readout/", RESULTS_DIR)));
await say(`**verdict (open question 1, expected-score readout vs greedy): ${q1.verdict}**

${q1.parts.map((p) => `- ${p}`).join("\\n")}`);
''', tag="verdict"))
else:
    cells.append(not_shipped("readout"))

cells.append(md('''
## 2. The soft preference reward's collapse

**Paper:** IRPM-Preference (the soft reward σ(s_i − s̄_other)) shows a score variance that keeps
growing until training collapses around steps 400-600, so the authors switched to rule-based
rewards. **Two fixes that keep the preference objective** (irpm/, `--design`):
`preference-capped` clips each score gap at 2 points before the sigmoid, so stretching scores apart
stops paying; `preference-var` subtracts a penalty on a score's distance from its pair's mean.
Both run 600 steps, 3 seeds each (`sweeps/preference_fixes.json`), against `mean` (the recipe) and
the unfixed `preference`, whose cells are those of `results/reward_design` (same base, seeds and
backend). A fix is judged against unfixed preference on final held-out
accuracy and on how far accuracy fell back from its best (per seed).
'''))
if have("preference_fixes") and have("reward_design"):
    cells += [code('''
// the fixes grid runs only the two fixes; mean and unfixed preference are reward_design's cells
const fixes = withGroupsFrom((await load("preference_fixes"))!, {
  source: (await load("reward_design"))!,
  groups: ["design-mean", "design-preference"],
});
const fixRows = preferenceFixRows(fixes);
await showTable(pl.DataFrame(fixRows.map((r) => ({
  design: r.design,
  seeds: r.seeds,
  accuracy: pct(r.accuracy),
  se: se(r.accuracy),
  best_to_final_drop: Number((100 * r.peakToFinalDrop).toFixed(1)),
  variance_first_third: Number(r.varianceFirst.toFixed(2)),
  variance_last_third: Number(r.varianceLast.toFixed(2)),
  vs_preference: r.design === "preference" ? "-" : comparisonCell(r.vsPreference),
  vs_mean: r.design === "mean" ? "-" : comparisonCell(r.vsMean),
  verdict: r.effect ?? "-",
}))), { display: Deno.jupyter.display });
''', tag="table"), code('''
await show(lineChart(curveSeries(fixes, { source: "train", column: curveColumn(fixes, { source: "train", field: "score/variance" }) }), {
  title: "Score variance per step: mean, preference and its two fixes (mean over seeds)", xTitle: "step", yTitle: "score variance",
}));
''', True), code('''
await show(lineChart(curveSeries(fixes, { source: "eval", column: curveColumn(fixes, { source: "eval", field: "accuracy" }) }), {
  title: "Held-out accuracy per evaluation (mean over seeds)", xTitle: "step", yTitle: "accuracy (ties 0.5)",
}));
''', True), code('''
const unfixed = fixRows.find((r) => r.design === "preference")!;
await say(`${fixRows.filter((r) => r.effect !== null).map((r) =>
  `**verdict (open question 2, ${r.design} vs unfixed preference): ${r.effect}**\\n\\n` +
  `- final accuracy ${pct(r.accuracy)}% vs ${pct(unfixed.accuracy)}%: ${comparisonCell(r.vsPreference)}\\n` +
  `- best-to-final drop ${(100 * r.peakToFinalDrop).toFixed(1)} vs ${(100 * unfixed.peakToFinalDrop).toFixed(1)} points\\n` +
  `- score variance, first to last third: ${r.varianceFirst.toFixed(2)} -> ${r.varianceLast.toFixed(2)} (unfixed ${unfixed.varianceFirst.toFixed(2)} -> ${unfixed.varianceLast.toFixed(2)})\\n` +
  `- against mean: ${comparisonCell(r.vsMean)}`
).join("\\n\\n")}${unfinishedRuns(fixes).length === 0 ? "" :
  `\\n\\n_Provisional: not yet in it: ${unfinishedRuns(fixes).join(", ")} (\\`${gridCommand("preference_fixes")}\\` ` +
  `and \\`${gridCommand("reward_design")}\\` finish them)._`}`);
''', tag="verdict")]
else:
    cells.append(not_shipped("preference_fixes"))

cells.append(md('''
## 3. Weak preferences

**Paper:** the recipe drops pairs with |label| <= 1 (about half the data). **Using them instead:**
kept (`--min-strength 1`), a weak pair already gets a tie-aware reward from the adaptive margin
(δ = |p| − 2 = −1: a rollout is rewarded for *not* disagreeing by more than a point), and
`--weak-pair-weight w` scales its advantages (0: it teaches nothing, 1: as much as a strong pair).
Weights 0 and 0.5 run in `sweeps/weak_pairs_use.json`; weight 1 is the `min-strength 1` cell of
`results/weak_preferences` (the same config, which replays bit for bit). Each is compared with the
recipe's filter (the `min-strength 2` cell of that grid: same seeds, steps and backend) on strong
(|p| >= 2) and on weak (|p| = 1) held-out pairs, paired by seed.
'''))
if have("weak_pairs_use") and have("weak_preferences"):
    cells += [code('''
// weight 1 is the min-strength-1 cell of weak_preferences (the same config), so it is reused
const recipe = (await load("weak_preferences"))!;
const use = withGroupsFrom((await load("weak_pairs_use"))!, { source: recipe, groups: ["min-strength-1"] });
const weakRows = weakPairsRows({ use, recipe });
await showTable(pl.DataFrame(weakRows.map((r) => ({
  setting: r.setting,
  seeds: r.seeds,
  strong_accuracy: pct(r.strongAccuracy),
  strong_se: se(r.strongAccuracy),
  weak_accuracy: pct(r.weakAccuracy),
  weak_se: se(r.weakAccuracy),
  strong_vs_recipe: comparisonCell(r.strongVsRecipe),
  weak_vs_recipe: comparisonCell(r.weakVsRecipe),
  verdict: r.effect ?? "-",
}))), { display: Deno.jupyter.display });
''', tag="table"), code('''
await show(barChart([
  { name: "strong held-out pairs (|p| >= 2)", categories: weakRows.map((r) => r.setting), values: weakRows.map((r) => r.strongAccuracy.mean ?? NaN) },
  { name: "weak held-out pairs (|p| = 1)", categories: weakRows.map((r) => r.setting), values: weakRows.map((r) => r.weakAccuracy.mean ?? NaN) },
], { title: "Held-out accuracy by how the weak pairs are used (mean over seeds; standard errors in the table)", yTitle: "accuracy (ties 0.5)" }));
''', True), code('''
await say(`${weakRows.filter((r) => r.effect !== null).map((r) =>
  `**verdict (open question 3, ${r.setting} vs the recipe's filter): ${r.effect}**\\n\\n` +
  `- strong pairs: ${comparisonCell(r.strongVsRecipe)}\\n- weak pairs: ${comparisonCell(r.weakVsRecipe)}`
).join("\\n\\n")}`);
''', tag="verdict")]
else:
    cells.append(not_shipped("weak_pairs_use"))

nb = {"cells": cells, "metadata": META, "nbformat": 4, "nbformat_minor": 5}
json.dump(nb, open(f"{ROOT}/notebooks/06_open_questions.ipynb", "w"), indent=1)
print("wrote 06;", "shipped:", [g for g in ["readout", "preference_fixes", "weak_pairs_use"] if have(g) or os.path.isdir(f"{ROOT}/results/{g}")])
