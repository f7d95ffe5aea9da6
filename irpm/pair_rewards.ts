/**
 * One pair's rewards end to end: parse each rollout's judgment, stand in the worst case for the
 * unscorable ones, apply a reward design to the two groups, add the penalties.
 *
 * @module
 */
import { designByName, type DesignName } from "./designs.ts";
import { rolloutPenalty, type Side, worstCaseScore } from "./format_penalty.ts";
import { type MarginSpec, resolveMargin } from "./margin.ts";
import { type JudgmentFailure, parseJudgment, SCORE_RANGE } from "./parse.ts";

/** The reward of one rollout and how it came about. */
export type RolloutReward = {
  /** Design reward + penalty: what GRPO sees. */
  reward: number;
  /** The score that entered the statistics (the worst case for an invalid rollout). */
  score: number;
  /** The penalty included in `reward`: 0, the format penalty, or the over-length penalty. */
  formatPenalty: number;
  /** Whether the judgment parsed to a score in [0, 10]. */
  valid: boolean;
  /** Why a penalty applies: a parse failure, `"invalid"` (from {@link scoreGroups}), `"overlong"`. */
  reason?: JudgmentFailure | "invalid" | "overlong";
};

/** Per-rollout rewards of one pair, in input order. */
export type PairRewards = { chosen: RolloutReward[]; rejected: RolloutReward[] };

/** Options of {@link scoreGroups}. */
export type ScoreGroupsOptions = {
  /** Which reward design. */
  design: DesignName;
  /** `"adaptive"` (delta = strength - 2) or a fixed delta. */
  margin: MarginSpec;
  /** The pair's annotated preference strength |overall_preference|, in [0, 3]. */
  strength: number;
  /** Interval design level; default 0.05. */
  alpha?: number;
  /** Added to an invalid rollout's reward; default -0.5. */
  formatPenalty?: number;
  /** Added to a valid over-long rollout's reward; default -0.5. */
  overlongPenalty?: number;
  /** Which rollouts are over-long (same shape as the scores); default none. */
  overlong?: { readonly chosen: readonly boolean[]; readonly rejected: readonly boolean[] };
};

/** Options of {@link scorePair}: those of {@link scoreGroups} with a length limit instead of flags. */
export type ScorePairOptions = Omit<ScoreGroupsOptions, "overlong"> & {
  /** Outputs longer than this many characters (Unicode code points) pay `overlongPenalty`. */
  maxLength?: number;
};

function standIn(parsed: readonly (number | null)[], side: Side): number[] {
  if (!Array.isArray(parsed)) {
    throw new TypeError(`scoreGroups: scores.${side} must be an array, got ${String(parsed)}`);
  }
  return parsed.map((score, index) => {
    if (score === null) return worstCaseScore(side);
    if (typeof score !== "number" || !(score >= SCORE_RANGE.min && score <= SCORE_RANGE.max)) {
      throw new RangeError(
        `scoreGroups: scores.${side}[${index}] must be null or in [0, 10], got ${String(score)}`,
      );
    }
    return score;
  });
}

/**
 * Rewards of one pair from already-parsed scores (`null` marks an invalid rollout):
 *   s = parsed score, or worstCaseScore(side) (0 chosen, 10 rejected) if null;
 *   the stand-ins enter both groups' statistics;
 *   delta = resolveMargin(margin, strength);
 *   reward = design(S_c, S_r; delta, alpha) + penalty (see `rolloutPenalty`).
 * With a +/-1 design every reward is one of {+1, -1, +0.5, -1.5}.
 *
 * @example
 * ```ts
 * import { scoreGroups } from "./pair_rewards.ts";
 * import { assertEquals } from "@std/assert";
 * // chosen [8, 0 (stand-in)], mean 4; rejected [6], mean 6; delta = 2 - 2 = 0
 * const out = scoreGroups({ chosen: [8, null], rejected: [6] }, { design: "mean", margin: "adaptive", strength: 2 });
 * assertEquals(out.chosen.map((r) => r.reward), [1, -1.5]); // 8 > 6; 0 > 6 fails, -1 - 0.5
 * assertEquals(out.rejected.map((r) => r.reward), [-1]); // 6 < 4 fails
 * ```
 */
export function scoreGroups(
  scores: {
    readonly chosen: readonly (number | null)[];
    readonly rejected: readonly (number | null)[];
  },
  options: ScoreGroupsOptions,
): PairRewards {
  const design = designByName(options.design);
  const margin = resolveMargin(options.margin, options.strength);
  const chosen = standIn(scores.chosen, "chosen");
  const rejected = standIn(scores.rejected, "rejected");
  const overlong = options.overlong ?? {
    chosen: chosen.map(() => false),
    rejected: rejected.map(() => false),
  };
  if (overlong.chosen.length !== chosen.length || overlong.rejected.length !== rejected.length) {
    throw new RangeError(
      `scoreGroups: overlong flags have shape ${overlong.chosen.length}/${overlong.rejected.length}` +
        `, scores ${chosen.length}/${rejected.length}`,
    );
  }
  const rewards = design({ chosen, rejected }, { margin, alpha: options.alpha });
  const assemble = (side: Side, used: number[]): RolloutReward[] =>
    used.map((score, index) => {
      const valid = scores[side][index] !== null;
      const isOverlong = overlong[side][index];
      const penalty = rolloutPenalty({ valid, overlong: isOverlong }, options);
      const out: RolloutReward = {
        reward: rewards[side][index] + penalty,
        score,
        formatPenalty: penalty,
        valid,
      };
      if (!valid) out.reason = "invalid";
      else if (isOverlong) out.reason = "overlong";
      return out;
    });
  return { chosen: assemble("chosen", chosen), rejected: assemble("rejected", rejected) };
}

/**
 * Rewards of one pair from the GRM's raw outputs: {@link parseJudgment} each text, then
 * {@link scoreGroups}. An invalid rollout's `reason` is its parse failure; a valid one longer
 * than `maxLength` code points gets reason `"overlong"` and the over-length penalty (an invalid
 * one pays only the format penalty: penalties never stack). Over-long outputs keep their score.
 *
 * @example
 * ```ts
 * import { scorePair } from "./pair_rewards.ts";
 * import { assertEquals } from "@std/assert";
 * const j = (s: string) => `<critique>ok</critique><score>${s}</score>`;
 * const out = scorePair(
 *   { chosen: [j("8"), "no tags"], rejected: [j("5"), j("11")] },
 *   { design: "mean", margin: 0, strength: 2 },
 * );
 * // S_c = [8, 0 stand-in], mean 4; S_r = [5, 10 stand-in for 11], mean 7.5
 * assertEquals(out.chosen.map((r) => r.reward), [1, -1.5]); // 8 > 7.5; 0 > 7.5 fails: -1 - 0.5
 * assertEquals(out.rejected.map((r) => r.reward), [-1, -1.5]); // 5 < 4 fails; 10 < 4 fails
 * assertEquals(out.rejected[1].reason, "score_out_of_range");
 * ```
 */
export function scorePair(
  texts: { readonly chosen: readonly string[]; readonly rejected: readonly string[] },
  options: ScorePairOptions,
): PairRewards {
  const { maxLength, ...rest } = options;
  if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength > 0)) {
    throw new RangeError(
      `scorePair: maxLength must be a positive integer, got ${String(maxLength)}`,
    );
  }
  const parse = (side: Side) => {
    const group = texts[side];
    if (!Array.isArray(group)) {
      throw new TypeError(`scorePair: texts.${side} must be an array, got ${String(group)}`);
    }
    return group.map((text, index) => {
      if (typeof text !== "string") {
        throw new TypeError(
          `scorePair: texts.${side}[${index}] must be a string, got ${typeof text}`,
        );
      }
      return {
        judgment: parseJudgment(text),
        overlong: maxLength !== undefined && [...text].length > maxLength,
      };
    });
  };
  const parsed = { chosen: parse("chosen"), rejected: parse("rejected") };
  const result = scoreGroups(
    {
      chosen: parsed.chosen.map((p) => p.judgment.score),
      rejected: parsed.rejected.map((p) => p.judgment.score),
    },
    {
      ...rest,
      overlong: {
        chosen: parsed.chosen.map((p) => p.overlong),
        rejected: parsed.rejected.map((p) => p.overlong),
      },
    },
  );
  for (const side of ["chosen", "rejected"] as const) {
    result[side].forEach((reward, index) => {
      const judgment = parsed[side][index].judgment;
      if (!judgment.valid) reward.reason = judgment.reason;
    });
  }
  return result;
}
