/**
 * Supervised warm-start targets for the synthetic suite.
 *
 * Before IRPM's RL phase, a tiny GRM is taught by imitation to write the output format and to
 * carry out the critique procedure (recompute the answer, compare position by position, count
 * errors). The score in the target is drawn uniformly from the integers 0..10, INDEPENDENTLY of the
 * response's quality: if it followed the quality, the imitation phase would already teach the
 * pairwise ranking, and the RL phase (which sees only pairwise preferences) would have nothing
 * left to show. With a random score, mapping the critique's error count to a score that ranks
 * chosen above rejected can only be learned from the IRPM reward, which is what the experiment
 * measures.
 *
 * @module
 */
import type { Prng } from "../rng/prng.ts";
import { judgeCompletion } from "./judge_prompt.ts";
import { syntheticCritique } from "./synthetic/score.ts";
import type { SyntheticTask } from "./synthetic/task.ts";

/**
 * `"<critique>" + syntheticCritique(task, response) + "</critique><score>" + s + "</score>"`
 * with s ~ U{0, ..., 10} from `rng` (one `rng.int(11)` draw), independent of quality.
 *
 * @example
 * ```ts
 * import { warmStartTarget } from "./synthetic_target.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { assertMatch } from "@std/assert";
 * const target = warmStartTarget({ answer: "85" }, "84", createPrng(0));
 * assertMatch(target, /^<critique>85 vs 84: 1 err<\/critique><score>([0-9]|10)<\/score>$/);
 * ```
 */
export function warmStartTarget(
  task: Pick<SyntheticTask, "answer">,
  response: string,
  rng: Prng,
): string {
  return judgeCompletion(syntheticCritique(task, response), rng.int(11));
}
