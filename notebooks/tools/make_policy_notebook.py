"""Writes notebooks/05_policy_rl.ipynb (unexecuted) from what results/policy_rl holds.

Run after shipping the grid: python3 notebooks/tools/make_policy_notebook.py, then execute it
(jupyter nbconvert --execute --inplace, or deno task notebooks:run). The notebook stays thin: its
logic is in notebooks/lib/policy_results.ts (tested); this only lays out the cells."""
import json, os
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
META = {"kernelspec": {"display_name": "Deno", "language": "typescript", "name": "deno"},
        "language_info": {"codemirror_mode": "typescript", "file_extension": ".ts", "mimetype": "text/x.typescript",
                          "name": "typescript", "nbconvert_exporter": "script", "pygments_lexer": "typescript", "version": "6.0.3"}}

def md(text): return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}
def code(text, tag=None):
    return {"cell_type": "code", "metadata": {"tags": [tag]} if tag else {}, "execution_count": None,
            "outputs": [], "source": text.strip("\n")}

shipped = os.path.exists(f"{ROOT}/results/policy_rl/provenance.json")
cells = [md('''
# 05 · A policy trained with the GRM as its reward: O(n) vs O(n²) judging

Why IRPM exists: during the RL of a *policy*, a pointwise GRM scores the n answers sampled for a
prompt with n judgments; a pairwise GRM needs every ordered pair, n(n-1). This notebook closes the
loop on the synthetic suite, where the truth is known: a small policy (the kit's transformer, from
the shipped policy warm-start `checkpoints/policy-small`, which answers with errors often) is trained
by GRPO (`deno task policy`) with the reward of each sampled answer coming from

- **oracle**: the hidden quality (0..10), the ceiling;
- **irpm**: the IRPM-trained pointwise GRM (`deno task train --name judge-irpm`, the default run, seed
  0: 82.6% held-out pairwise accuracy), one greedy judgment per answer;
- **scalar**: the Bradley-Terry scalar head (`deno task train --model scalar-bt --name judge-scalar`:
  78.9%), one forward pass per answer;
- **pairwise**: the pairwise GRM baseline (`deno task train --model pairwise --lr 3e-4 --steps 300
  --name judge-pairwise`), every ordered pair judged greedily, reward = the answer's win share.

**The pairwise judge did not learn at this size**, given a fair chance: a 300-step supervised
warm-start on its own format (both responses, a critique of each, a verdict drawn at random so the
label does not leak), then GRPO at three times the default learning rate for twice the default
steps. It ends at 54.1% held-out accuracy (strict 14.5%, 79.3% of pairs undecided under the
both-orders rule); its training verdict accuracy stayed at 0.49-0.51 (50-step means) over all 300
GRPO steps although 80-88% of its groups had reward variance to learn from. (At the default budget,
lr 1e-4 and 150 steps, it had reached 52.3%.) So the cost comparison below is against a pairwise
judge that works as a judge of format but not of quality, and the quality comparison says what RL
with such a judge gives, not what a working pairwise judge would.

Same prompts, seeds, budget (100 steps x 16 prompts x n answers) and held-out set for every judge.
The numbers come from the **shipped results** `results/policy_rl/`, written by
`deno task policy:grid sweeps/policy_rl.json --results results/policy_rl`; every number traces to a
run's `metrics.jsonl` and per-prompt `eval/step-N.jsonl`. `IRPM_RERUN=1` runs the grid again first
(it needs the three judge checkpoints named in `sweeps/policy_rl.json`; the README says how to make
them).
'''),
code('''
import * as pl from "nodejs-polars";
import { barChart, createPlotSession, type Figure, lineChart, showFigure, showMarkdown, showTable } from "../viz/mod.ts";
import {
  hackingByJudge,
  judgingCost,
  loadPolicyResults,
  notShippedText,
  policyClaimCheck,
  type PolicyResults,
  qualityByCalls,
  qualityBySteps,
  rerunGrid,
  RESULTS_DIR,
  trainBySteps,
} from "./lib/mod.ts";

const session = createPlotSession({ idPrefix: "irpm05" });
const show = (figure: Figure) => showFigure(figure, { session, display: Deno.jupyter.display });
const say = (text: string) => showMarkdown(text, { display: Deno.jupyter.display });

/** The shipped results; with IRPM_RERUN=1 the grid is run again first, by its own command. */
async function load(): Promise<PolicyResults | null> {
  if (Deno.env.get("IRPM_RERUN") === "1") await rerunGrid("policy_rl", { task: "policy:grid" });
  return await loadPolicyResults(new URL("policy_rl", RESULTS_DIR));
}
const results = await load();
''')]
if shipped:
    cells += [md('''
## The table

Final held-out numbers after 100 steps on 256 held-out prompts, mean ± standard error over 3 seeds:
"quality" and "exact" for greedy answers, "sampled quality" for 4 answers per prompt drawn at
temperature 1; judging cost per training step; wall time per run on one wasm core (two runs shared
the 2-core machine with other work). "no RL" is the policy's start (the step-0 evaluation).

**Which quality decides.** GRPO trains the distribution answers are *sampled* from. At this model
size and budget, greedy answers barely move even with the oracle's reward (measured before the grid
ran: 4.57 -> 4.38 after 100 steps, 4.09 after 150, while sampled quality rose 2.17 -> 3.04 and
3.18), so the figures and the verdict use the sampled quality; the greedy numbers stay in the table.
'''), code('''
const pct = (x: number | null) => x === null ? null : 100 * x;
await showTable(pl.DataFrame(results!.rows.map((r) => ({
  judge: r.judge,
  n: r.n ?? "-",
  runs: r.runs,
  quality: r.quality.mean,
  quality_se: r.quality.se,
  exact_pct: pct(r.exactRate.mean),
  exact_se_pct: pct(r.exactRate.se),
  sampled_quality: r.sampledQuality.mean,
  judge_calls_per_step: r.callsPerStep,
  judge_s_per_step: r.judgeSecondsPerStep,
  policy_s_per_step: r.policySecondsPerStep,
  wall_s: r.wallSeconds,
  hacking_flagged_runs: r.hackingFlags,
}))), { display: Deno.jupyter.display });
''', tag="table"),
md('''
## Policy quality during training

Held-out quality of sampled answers (0..10) every 25 steps, mean over seeds, one line per judge.
'''), code('''
await show(lineChart(qualityBySteps(results!, { n: 4 }), {
  title: "Held-out policy quality vs step, n = 4 answers per prompt",
  xTitle: "training step", yTitle: "held-out quality of sampled answers (/10)",
}));
''', tag="figure"), code('''
await show(lineChart(qualityBySteps(results!, { n: 8 }), {
  title: "Held-out policy quality vs step, n = 8 answers per prompt",
  xTitle: "training step", yTitle: "held-out quality of sampled answers (/10)",
}));
''', tag="figure"),
md('''
## What the judging cost to get there

The same curves against the judge calls spent (step x calls per step): the pairwise judge pays
n(n-1) generations per prompt for what the pointwise judge gets with n.
'''), code('''
await show(lineChart(qualityByCalls(results!, { n: 4 }), {
  title: "Held-out policy quality vs judge calls spent, n = 4", xTitle: "judge calls (generations or forward passes)",
  yTitle: "held-out quality of sampled answers (/10)",
}));
''', tag="figure"), code('''
await show(lineChart(qualityByCalls(results!, { n: 8 }), {
  title: "Held-out policy quality vs judge calls spent, n = 8", xTitle: "judge calls (generations or forward passes)",
  yTitle: "held-out quality of sampled answers (/10)",
}));
''', tag="figure"), code('''
const cost = judgingCost(results!);
const judges = [...new Set(cost.map((c) => c.judge))];
await show(barChart(judges.map((j) => ({
  name: j,
  categories: cost.filter((c) => c.judge === j).map((c) => `n = ${c.n}`),
  values: cost.filter((c) => c.judge === j).map((c) => c.seconds),
})), { title: "Judge seconds per training step as n grows (16 prompts a step, one wasm core)", yTitle: "judge seconds / step" }));
''', tag="figure"),
md('''
## Reward hacking

A judge can be gamed: the policy finds answers the judge scores high that are worse. The check
(`policy/reward_hacking.ts`) compares the first 20 training steps with the last 20: flagged when the
judge's mean reward rose and the hidden quality of the same answers fell, each by more than 2
standard errors. It does not apply to the pairwise judge (its win shares average 1/2 in every
group). The counts below are recomputed from each run's train lines; the runs themselves log the same
check as `hacking` lines and in their report.html.
'''), code('''
await showTable(pl.DataFrame(hackingByJudge(results!).map((h) => ({
  judge: h.judge,
  n: h.n,
  flagged_runs: h.judge === "pairwise" ? "n/a" : `${h.flagged} of ${h.runs}`,
  first_flagged_step: h.steps.map((s) => s ?? "-").join(", "),
}))), { display: Deno.jupyter.display });
''', tag="table"), code('''
await show(lineChart(trainBySteps(results!, { n: 4, field: "policy/quality" }), {
  title: "Hidden quality of the answers sampled in training, by judge (n = 4, mean over seeds)",
  xTitle: "training step", yTitle: "mean quality (/10)",
}));
''', tag="figure"), code('''
await show(lineChart(trainBySteps(results!, { n: 4, field: "judge/reward_mean" }).filter((s) => s.name === "scalar"), {
  title: "What the scalar judge saw meanwhile: its mean reward (n = 4, mean over seeds)",
  xTitle: "training step", yTitle: "scalar reward",
}));
''', tag="figure"),
md('''
## Verdict

**Paper's claim:** a pointwise GRM trained with IRPM serves RL with O(n) judgments and matches a
pairwise GRM's usefulness, which costs O(n²). Checked here per n: the IRPM-trained policy's final
held-out sampled quality is not below the pairwise-trained one's (paired by seed, 95% t-interval),
the IRPM judge is cheaper per step in calls and seconds, and RL with it improves on the start
(paired by run).
'''), code('''
const check = policyClaimCheck(results!);
await say(`**verdict (pointwise ~ pairwise quality at a fraction of the judging cost): ${check.verdict}**

${check.parts.map((p) => `- ${p}`).join("\\n")}`);
''', tag="verdict")]
else:
    cells.append(code('''
await say(notShippedText("policy_rl", { task: "policy:grid" }));
''', tag="verdict"))

nb = {"cells": cells, "metadata": META, "nbformat": 4, "nbformat_minor": 5}
with open(f"{ROOT}/notebooks/05_policy_rl.ipynb", "w") as f:
    json.dump(nb, f, indent=1)
    f.write("\n")
print("wrote notebooks/05_policy_rl.ipynb", "(results shipped)" if shipped else "(results not shipped yet)")
