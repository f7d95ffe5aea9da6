/**
 * The judges a policy can be trained against, chosen by name at the edge (`--judge`):
 *
 * | judge | reward of answer i of a prompt's n answers | judge calls per prompt |
 * |---|---|---|
 * | `oracle` | its hidden quality (0..10): the ceiling | 0 (no model) |
 * | `irpm` | the pointwise GRM's score (greedy, or the mean of `votes` sampled scores) | n x votes |
 * | `pairwise` | its win share over every ordered pair of the n answers | n (n - 1) |
 * | `scalar` | the Bradley-Terry head's reward | n (forward passes) |
 *
 * A judge may give no reward to an answer (a pointwise judgment that does not parse): the step
 * fills it with its group's mean, so it gets no advantage, and counts it.
 *
 * @module
 */
import type { SyntheticTask } from "../data/synthetic/task.ts";
import { syntheticQuality } from "../data/synthetic/score.ts";
import type { ResponseItem } from "../data/types.ts";
import type { JudgeModel, ModelKind } from "../baselines/judge_checkpoint.ts";
import { judgeComparisons } from "../baselines/pairwise_judge.ts";
import { scoreWithScalar } from "../baselines/scalar_head.ts";
import { votingScore } from "../eval/voting.ts";
import type { Verdict } from "../eval/judgebench.ts";
import { orderedPairs, roundRobinWinner } from "../eval/ranking.ts";
import { POINTWISE_MAX_NEW_TOKENS } from "../eval_run/pointwise_eval.ts";
import { pointwiseScores } from "../eval_run/pointwise_scores.ts";

/** The judges by name. */
export const POLICY_JUDGES = ["oracle", "irpm", "pairwise", "scalar"] as const;
/** One of {@link POLICY_JUDGES}. */
export type PolicyJudgeName = (typeof POLICY_JUDGES)[number];

/** The checkpoint kind each model judge needs (`baselines/judge_checkpoint.ts`). */
export const JUDGE_CHECKPOINT_KINDS: Readonly<
  Record<Exclude<PolicyJudgeName, "oracle">, ModelKind>
> = Object.freeze({ irpm: "pointwise", pairwise: "pairwise", scalar: "scalar" });

/** A prompt's n sampled answers. */
export interface AnswerGroup {
  readonly task: SyntheticTask;
  readonly answers: readonly string[];
}

/** What a judge returned for a batch of groups. */
export interface Judgment {
  /** `rewards[g][i]`: reward of answer i of group g; null where the judge gave none. */
  readonly rewards: (number | null)[][];
  /** Judge calls made: generations (irpm, pairwise) or forward passes (scalar); 0 for oracle. */
  readonly calls: number;
  /** Wall seconds of the judging. */
  readonly seconds: number;
}

/** A judge of policy answers. */
export interface PolicyJudge {
  readonly name: PolicyJudgeName;
  /** Judges every group; `seed` drives any sampling the judge does. */
  judge(groups: readonly AnswerGroup[], seed: number): Promise<Judgment>;
}

const itemOf = (task: SyntheticTask, answer: string): ResponseItem => ({
  context: [{ role: "user", content: task.prompt }],
  response: answer,
});

/** Splits a flat list into groups of the given sizes. */
function regroup<T>(flat: readonly T[], groups: readonly AnswerGroup[]): T[][] {
  let at = 0;
  return groups.map((g) => flat.slice(at, at += g.answers.length));
}

async function timed(work: () => Promise<{ rewards: (number | null)[][]; calls: number }>) {
  const started = performance.now();
  const out = await work();
  return { ...out, seconds: (performance.now() - started) / 1000 };
}

/**
 * The hidden quality as the reward: the ceiling no learned judge can beat.
 *
 * @example
 * ```ts
 * import { oracleJudge } from "./judges.ts";
 * import { assertEquals } from "@std/assert";
 * const task = { domain: "arith", prompt: "37+48=", answer: "85" };
 * const out = await oracleJudge().judge([{ task, answers: ["85", "84", "9"] }], 0);
 * assertEquals([out.rewards, out.calls], [[[10, 5, 0]], 0]);
 * ```
 */
export function oracleJudge(): PolicyJudge {
  return {
    name: "oracle",
    judge: (groups) =>
      timed(() =>
        Promise.resolve({
          rewards: groups.map((g) => g.answers.map((a) => syntheticQuality(g.task, a))),
          calls: 0,
        })
      ),
  };
}

/** IRPM's pointwise GRM: one greedy judgment per answer, or the mean of `votes` sampled ones. */
export function pointwiseJudge(model: JudgeModel, options: { votes?: number } = {}): PolicyJudge {
  const votes = options.votes ?? 1;
  return {
    name: "irpm",
    judge: (groups, seed) =>
      timed(async () => {
        const items = groups.flatMap((g) => g.answers.map((a) => itemOf(g.task, a)));
        const out = await pointwiseScores(model, items, {
          samples: votes > 1 ? votes : 0,
          greedy: votes === 1,
          maxNewTokens: POINTWISE_MAX_NEW_TOKENS,
          seed,
        });
        const scores = votes > 1
          ? out.samples.map((s) => votingScore(s.map((x) => x.score)))
          : out.greedy.map((s) => s.score);
        return { rewards: regroup(scores, groups), calls: out.calls };
      }),
  };
}

/** The scalar Bradley-Terry head: one forward pass per answer. */
export function scalarJudge(model: JudgeModel): PolicyJudge {
  return {
    name: "scalar",
    judge: (groups) =>
      timed(async () => {
        const items = groups.flatMap((g) => g.answers.map((a) => itemOf(g.task, a)));
        const rewards = await scoreWithScalar(model, items);
        return { rewards: regroup(rewards, groups), calls: items.length };
      }),
  };
}

/**
 * Win share of each of n answers from the verdicts on every ordered pair (i shown first, j
 * second; `orderedPairs(n)` order): a verdict for an answer gives it 1, against it 0, no verdict
 * 1/2 to each; an answer's share is its credit over the 2 (n - 1) comparisons it appears in.
 *
 *     share_i = (wins_i + undecided_i / 2) / (2 (n - 1))
 *
 * The shares of a group always average 1/2.
 *
 * @example
 * ```ts
 * import { winShares } from "./judges.ts";
 * import { assertEquals } from "@std/assert";
 * // pairs (0,1), (1,0): answer 0 wins both orders
 * assertEquals(winShares(2, ["A>B", "B>A"]), [1, 0]);
 * // 3 answers, no verdict anywhere: all 1/2
 * assertEquals(winShares(3, [null, null, null, null, null, null]), [0.5, 0.5, 0.5]);
 * ```
 */
export function winShares(n: number, verdicts: readonly (Verdict | null)[]): number[] {
  const pairs = orderedPairs(n);
  if (verdicts.length !== pairs.length) {
    throw new RangeError(
      `winShares: ${verdicts.length} verdicts for ${pairs.length} ordered pairs`,
    );
  }
  if (n < 2) return new Array(n).fill(0.5);
  // the kit's round robin (eval/ranking.ts) with an undecided judgment worth 1/2 to each side
  const index = new Map(pairs.map(([i, j], k) => [`${i},${j}`, k]));
  const credit = (i: number, j: number) => {
    const v = verdicts[index.get(`${i},${j}`)!];
    return v === "A>B" ? 1 : v === "B>A" ? 0 : 0.5;
  };
  return roundRobinWinner(n, credit).points.map((p) => p / (2 * (n - 1)));
}

/** The pairwise GRM: every ordered pair of a prompt's answers judged greedily, reward = win share. */
export function pairwiseJudge(model: JudgeModel): PolicyJudge {
  return {
    name: "pairwise",
    judge: (groups) =>
      timed(async () => {
        const comparisons = groups.flatMap((g) =>
          orderedPairs(g.answers.length).map(([i, j]) => ({
            context: [{ role: "user" as const, content: g.task.prompt }],
            first: g.answers[i],
            second: g.answers[j],
          }))
        );
        const judged = await judgeComparisons(model, comparisons, { greedy: true });
        let at = 0;
        const rewards = groups.map((g) => {
          const k = g.answers.length * (g.answers.length - 1);
          const verdicts = judged.slice(at, at += k).map((c) => c.verdict);
          return winShares(g.answers.length, verdicts);
        });
        return { rewards, calls: comparisons.length };
      }),
  };
}
