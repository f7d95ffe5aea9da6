/**
 * Running the pairwise GRM: each comparison is rendered with `pairwisePrompt`, the model writes
 * `<critique>...</critique><score>1|2</score>`, and the verdict is parsed (`parseVerdict`).
 * Mirrors `train/judge.ts` for the pointwise GRM.
 *
 * @module
 */
import type { Verdict } from "../eval/judgebench.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { generate } from "../model/sample.ts";
import type { Prng } from "../rng/prng.ts";
import { type Comparison, pairwisePromptTokens, parseVerdict } from "./pairwise_format.ts";

/** Default generation cap: the compact synthetic critique + verdict take at most 23 tokens. */
export const PAIRWISE_MAX_NEW_TOKENS = 26;

/** One judgment of one comparison. */
export interface JudgedComparison {
  /** Index of the comparison in the input. */
  readonly item: number;
  /** BOS + prompt tokens (maybe truncated). */
  readonly promptTokens: readonly number[];
  /** Generated tokens (with the stop token). */
  readonly tokens: readonly number[];
  /** Per generated token log-prob under the untempered policy. */
  readonly logProbs: readonly number[];
  /** Generated text. */
  readonly text: string;
  /** The verdict in the shown order, or null (no verdict). */
  readonly verdict: Verdict | null;
}

/** Options of {@link judgeComparisons}. */
export interface PairwiseJudgeOptions {
  /** Judgments per comparison (G in training, k in voting). Default 1. */
  readonly rollouts?: number;
  /** Greedy decoding. Default false. */
  readonly greedy?: boolean;
  /** Sampling temperature. Default 1. */
  readonly temperature?: number;
  /** Generation cap (also reserves room in the context). Default {@link PAIRWISE_MAX_NEW_TOKENS}. */
  readonly maxNewTokens?: number;
  /** Required unless greedy. */
  readonly rng?: Prng;
  /** Comparisons per generation call. Default 64. */
  readonly batchPrompts?: number;
}

/**
 * Judges every comparison `rollouts` times; rows are item-major (item i's rollouts are rows
 * `i * rollouts ..`).
 */
export async function judgeComparisons(
  model: { params: Params; config: ModelConfig },
  comparisons: readonly Comparison[],
  options: PairwiseJudgeOptions = {},
): Promise<JudgedComparison[]> {
  const { rollouts = 1, batchPrompts = 64 } = options;
  const maxNewTokens = Math.min(
    options.maxNewTokens ?? PAIRWISE_MAX_NEW_TOKENS,
    model.config.contextLength - 2,
  );
  const prompts = comparisons.map((c) =>
    pairwisePromptTokens(c, model.config.contextLength - maxNewTokens).tokens
  );
  const out: JudgedComparison[] = [];
  for (let start = 0; start < comparisons.length; start += batchPrompts) {
    const generated = await generate(model, {
      prompts: prompts.slice(start, start + batchPrompts),
      maxNewTokens,
      rollouts,
      greedy: options.greedy ?? false,
      temperature: options.temperature ?? 1,
      topP: 1,
      rng: options.rng,
    });
    for (const r of generated) {
      const item = start + r.prompt;
      out.push({
        item,
        promptTokens: prompts[item],
        tokens: r.tokens,
        logProbs: r.logProbs,
        text: r.text,
        verdict: parseVerdict(r.text),
      });
    }
  }
  return out;
}
