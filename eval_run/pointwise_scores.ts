/**
 * Scores of a pointwise GRM for a list of responses: one greedy judgment each (voting@1, the
 * method's k = 1) and, when asked, k sampled judgments each at temperature 1 from a seeded PRNG
 * (voting@k). Work is done in chunks so a long run can report progress.
 *
 * @module
 */
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { judgeItems } from "../train/judge.ts";
import type { ResponseItem } from "./responses.ts";
import { expectedScoreReadouts } from "./expected_scores.ts";
import { expectedScore } from "../eval/score_readout.ts";

/** One judgment, as traced per item. */
export interface ScoredText {
  /** Parsed score, `null` when the judgment did not parse. */
  readonly score: number | null;
  /** The GRM's output. */
  readonly text: string;
}

/** Result of {@link pointwiseScores}. */
export interface PointwiseScores {
  /** Greedy judgment per item (empty when `greedy: false`). */
  readonly greedy: ScoredText[];
  /** `samples[i]` = the k sampled judgments of item i (empty when k = 0). */
  readonly samples: ScoredText[][];
  /** Generations run: items x (1 + k), or items x k without greedy. */
  readonly calls: number;
}

/** Options of {@link pointwiseScores}. */
export interface PointwiseScoreOptions {
  /** Sampled judgments per item (0: greedy only). Default 0. */
  readonly samples?: number;
  /** Also run the greedy judgment of every item. Default true. */
  readonly greedy?: boolean;
  /** Generation cap per judgment. Default: `judgeItems`'s (the trainer's). */
  readonly maxNewTokens?: number;
  /** Seed of the sampling PRNG. Default 0. */
  readonly seed?: number;
  /** Sampling temperature. Default 1 (the method's voting@k). */
  readonly temperature?: number;
  /** Items per generation call. Default 64. */
  readonly chunk?: number;
  /** Called after each chunk with generations done and total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Greedy and sampled judgments of every item (the sampling PRNG is consumed chunk by chunk in
 * item order, so results depend on `seed` and `chunk` only).
 */
export async function pointwiseScores(
  model: { params: Params; config: ModelConfig },
  items: readonly ResponseItem[],
  options: PointwiseScoreOptions = {},
): Promise<PointwiseScores> {
  const { samples: k = 0, maxNewTokens, seed = 0, temperature = 1, chunk = 64 } = options;
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`pointwiseScores: samples must be an integer >= 0, got ${k}`);
  }
  const runGreedy = options.greedy ?? true;
  const total = items.length * ((runGreedy ? 1 : 0) + k);
  let done = 0;
  const rng = createPrng(seed);
  const greedy: ScoredText[] = [];
  const samples: ScoredText[][] = items.map(() => []);
  const toScored = (r: { text: string; judgment: { score: number | null } }) => ({
    score: r.judgment.score,
    text: r.text,
  });
  for (let start = 0; runGreedy && start < items.length; start += chunk) {
    const part = items.slice(start, start + chunk);
    const out = await judgeItems(model, part, { greedy: true, maxNewTokens, batchPrompts: chunk });
    greedy.push(...out.map(toScored));
    done += part.length;
    options.onProgress?.(done, total);
  }
  if (k > 0) {
    const perCall = Math.max(1, Math.floor(chunk / k));
    for (let start = 0; start < items.length; start += perCall) {
      const part = items.slice(start, start + perCall);
      const out = await judgeItems(model, part, {
        rollouts: k,
        temperature,
        maxNewTokens,
        rng,
        batchPrompts: perCall,
      });
      for (const r of out) samples[start + r.item].push(toScored(r));
      done += part.length * k;
      options.onProgress?.(done, total);
    }
  }
  return { greedy, samples, calls: total };
}

/**
 * The score each greedy judgment of `items` counts with under a readout: its own digits (`greedy`,
 * the default), or the expectation of the model's score distribution after its critique
 * (`expected`; null where the judgment opened no `<score>`).
 */
export async function readoutScores(
  model: { params: Params; config: ModelConfig },
  judged: { items: readonly ResponseItem[]; greedy: readonly ScoredText[] },
  options: { readout?: "greedy" | "expected"; maxNewTokens?: number; fixedWidth?: boolean } = {},
): Promise<(number | null)[]> {
  const { items, greedy } = judged;
  if ((options.readout ?? "greedy") === "greedy") return greedy.map((g) => g.score);
  const dists = await expectedScoreReadouts(
    model,
    { items, judgments: greedy.map((g) => g.text) },
    {
      maxNewTokens: options.maxNewTokens,
      fixedWidth: options.fixedWidth,
    },
  );
  return dists.map((d) => (d === null ? null : expectedScore(d)));
}
