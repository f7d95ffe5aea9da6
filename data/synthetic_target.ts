/**
 * Supervised warm-start targets for the synthetic suite.
 *
 * Before IRPM's RL phase, a tiny GRM is taught by imitation to write the output format and to
 * carry out the critique procedure (recompute the answer, compare position by position, count
 * errors). What the target's score says is the *score prior* the warm-start leaves, and it must not
 * teach the pairwise ranking (else the RL phase, which sees only pairwise preferences, would have
 * nothing left to show). Two priors, chosen at the edge by name ({@link WARM_START_TARGETS}):
 *
 * - `independent`: s ~ U{0, ..., 10}, independent of the response. The GRM learns that the score
 *   does not depend on the critique at all; IRPM must build that dependence from nothing.
 * - `mirrored`: s = q or 10 - q with probability 1/2 each, q the hidden quality. The GRM learns
 *   to *read* its critique when scoring but not which end of the scale is good:
 *   E[s | response] = 5 for every response, so its expected ranking is chance, and IRPM must
 *   learn the direction from pairwise labels. This is the closer analogue of the paper's
 *   instruction-tuned base models, which can assess a response before any reward-model training.
 *
 * @module
 */
import type { Prng } from "../rng/prng.ts";
import { judgeCompletion } from "./judge_prompt.ts";
import { syntheticCritique, syntheticQuality } from "./synthetic/score.ts";
import type { SyntheticTask } from "./synthetic/task.ts";

/** A warm-start target: the judge completion for one response of one task. */
export type WarmStartTarget = (
  task: Pick<SyntheticTask, "answer">,
  draw: { response: string; rng: Prng },
) => string;

/**
 * `"<critique>" + syntheticCritique(task, response) + "</critique><score>" + s + "</score>"`
 * with s ~ U{0, ..., 10} from `rng` (one `rng.int(11)` draw), independent of quality.
 *
 * @example
 * ```ts
 * import { warmStartTarget } from "./synthetic_target.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertMatch } from "@std/assert";
 * const target = warmStartTarget({ answer: "85" }, { response: "84", rng: createPrng(0) });
 * assertMatch(target, /^<critique>85 vs 84: 1 err<\/critique><score>([0-9]|10)<\/score>$/);
 * ```
 */
export function warmStartTarget(
  task: Pick<SyntheticTask, "answer">,
  draw: { response: string; rng: Prng },
): string {
  const { response, rng } = draw;
  return judgeCompletion(syntheticCritique(task, response), rng.int(11));
}

/**
 * The same critique with the mirrored score prior: s = q if `rng.int(2) === 0`, else 10 - q, with
 * q = syntheticQuality(task, response). Averaged over the coin, E[s] = 5 whatever the response.
 *
 * @example
 * ```ts
 * import { mirroredWarmStartTarget } from "./synthetic_target.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertMatch } from "@std/assert";
 * // "84" for "85": 1 error of 2, quality 5, so both mirror images are 5
 * assertMatch(mirroredWarmStartTarget({ answer: "85" }, { response: "84", rng: createPrng(0) }), /<score>5<\/score>$/);
 * // "tmq" for "tmqk": 1 of 4, quality 8: the score is 8 or 2
 * const s = mirroredWarmStartTarget({ answer: "tmqk" }, { response: "tmq", rng: createPrng(3) });
 * assertMatch(s, /^<critique>tmqk vs tmq: 1 err<\/critique><score>(8|2)<\/score>$/);
 * ```
 */
export function mirroredWarmStartTarget(
  task: Pick<SyntheticTask, "answer">,
  draw: { response: string; rng: Prng },
): string {
  const { response, rng } = draw;
  const quality = syntheticQuality(task, response);
  return judgeCompletion(
    syntheticCritique(task, response),
    rng.int(2) === 0 ? quality : 10 - quality,
  );
}

/** Names of the warm-start score priors. */
export type ScorePrior = "independent" | "mirrored";

/** The target builder of each score prior. */
export const WARM_START_TARGETS: Readonly<Record<ScorePrior, WarmStartTarget>> = Object.freeze({
  independent: warmStartTarget,
  mirrored: mirroredWarmStartTarget,
});
