/**
 * The supervised warm-start: teach a fresh GRM the judge format on the synthetic suite before
 * IRPM (the paper starts from an instruction model that already writes critiques and scores).
 *
 * Each training example is `[BOS] judgePrompt(context, response)` followed by the target
 * `<critique>{recomputed answer} vs {response}: {n} err</critique><score>{s}</score>`, where the
 * critique carries out the checking procedure and the score s follows the recipe's score prior
 * (`data/synthetic_target.ts`): `mirrored` (default: q or 10 - q with probability 1/2 each, so the
 * expected score is 5 for every response) or `independent` (uniform on 0..10). Neither leaks the
 * pairwise target: whatever ranking skill the model shows later comes from IRPM's pairwise signal
 * alone, and the warm-start's held-out pairwise accuracy is expected near chance (50%, ties
 * counting 0.5).
 *
 * Loss: token-mean negative log-likelihood of the target tokens (`supervised.ts`, the loop the
 * warm-starts share).
 *
 * @module
 */
import { type SyntheticRow, syntheticRowPairs, syntheticSplits } from "../data/synthetic/suite.ts";
import {
  type ScorePrior,
  WARM_START_TARGETS,
  type WarmStartTarget,
  warmStartTarget,
} from "../data/synthetic_target.ts";
import type { AdamWState } from "../grpo/adamw.ts";
import { type ModelConfig, presetConfig } from "../model/config.ts";
import { initParams, type TrainableParams } from "../model/params.ts";
import { encode } from "../model/tokenizer.ts";
import { createPrng, type Prng } from "../rng/prng.ts";
import { evaluatePairs, type PairEvaluation } from "./evaluate.ts";
import { permutation as shuffle } from "./data.ts";
import { judgePromptTokens } from "./judge.ts";
import { type SupervisedRecipe, supervisedSteps, type WarmStartExample } from "./supervised.ts";

/**
 * The warm-start recipe: everything needed to reproduce the shipped checkpoint (steps and
 * optimizer settings as every warm-start's).
 */
export interface WarmStartConfig extends SupervisedRecipe {
  readonly preset: string;
  readonly seed: number;
  readonly batchSize: number;
  /** Raw synthetic rows to draw (each gives two examples: response1 and response2). */
  readonly trainRows: number;
  /** Raw held-out rows (the IRPM trainer uses the same held-out split). */
  readonly testRows: number;
  readonly evalEvery: number;
  readonly evalPairs: number;
  readonly maxNewTokens: number;
  /** What the target's score says: `independent` (uniform) or `mirrored` (q or 10 - q). */
  readonly scorePrior: ScorePrior;
}

/** Defaults for the `small` preset on a 2-core CPU. */
export const DEFAULT_WARMSTART_CONFIG: Readonly<WarmStartConfig> = Object.freeze({
  preset: "small",
  seed: 0,
  steps: 1000, // stage 1 of the shipped checkpoint (checkpoints/warmstart-small/RECIPE.md)
  batchSize: 256, // ~10k tokens a step: fast on a GPU, ~2.5 s a step on the 2-core wasm backend
  lr: 2e-3, // small model, fresh init: a large step is stable with warm-up + clipping
  warmupSteps: 50,
  minLrRatio: 0.05,
  weightDecay: 0.01,
  gradClip: 1,
  trainRows: 40000, // 80k (prompt, response) examples
  testRows: 400, // the held-out split the IRPM trainer's default evaluation also draws from
  evalEvery: 250,
  evalPairs: 256,
  maxNewTokens: 36,
  scorePrior: "mirrored", // reads the critique, direction unknown (shipped stage 3; RECIPE.md)
});

/**
 * Two examples per synthetic row (one per response); `target` builds the completion (default: the
 * independent uniform score prior).
 *
 * @example
 * ```ts
 * import { warmStartExamples } from "./warmstart.ts";
 * import { syntheticSuite } from "../data/synthetic/suite.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { decode } from "../model/tokenizer.ts";
 * import { assertEquals, assertMatch } from "@std/assert";
 * const examples = warmStartExamples(syntheticSuite({ seed: 0, size: 3 }), { rng: createPrng(1), contextLength: 64 });
 * assertEquals(examples.length, 6);
 * assertMatch(decode(examples[0].completion), /^<critique>.* err<\/critique><score>\d+<\/score>$/);
 * ```
 */
export function warmStartExamples(
  rows: readonly SyntheticRow[],
  options: { rng: Prng; contextLength: number; target?: WarmStartTarget },
): WarmStartExample[] {
  const { rng, contextLength, target = warmStartTarget } = options;
  return rows.flatMap((row) =>
    [row.response1, row.response2].map((response) => {
      const completion = encode(target(row, { response, rng }));
      const prompt = judgePromptTokens({ context: row.context, response }, contextLength).tokens;
      if (prompt.length + completion.length > contextLength) {
        throw new RangeError(
          `warm-start example of row "${row.id}" needs ${
            prompt.length + completion.length
          } tokens, context is ${contextLength}`,
        );
      }
      return { prompt, completion };
    })
  );
}

/** Progress of the warm-start, for the CLI's log. */
export interface WarmStartProgress {
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
}

/** A finished warm-start. */
export interface WarmStartResult {
  readonly params: TrainableParams;
  readonly config: ModelConfig;
  readonly optimizer: AdamWState;
  readonly evaluation: PairEvaluation;
  readonly history: WarmStartProgress[];
}

/** The held-out pairs shared by warm-start and IRPM evaluation (default filters applied). */
export function heldOutSyntheticPairs(seed: number, testRows: number) {
  return syntheticRowPairs(syntheticSplits({ seed, train: 1, test: testRows }).test).pairs;
}

/** Runs the whole warm-start recipe. */
export async function runWarmStart(
  recipe: WarmStartConfig,
  callbacks: {
    /** Start from these weights (a later stage) instead of a fresh initialisation; consumed. */
    initialParams?: TrainableParams;
    /** Stop (evaluating first) after this many steps of the recipe's schedule. */
    stopAfter?: number;
    onStep?: (p: WarmStartProgress) => void;
    onEval?: (step: number, e: PairEvaluation, params: TrainableParams) => void | Promise<void>;
  } = {},
): Promise<WarmStartResult> {
  const config = presetConfig(recipe.preset);
  const rng = createPrng(recipe.seed);
  const { train, test } = syntheticSplits({
    seed: recipe.seed,
    train: recipe.trainRows,
    test: recipe.testRows,
  });
  const examples = warmStartExamples(train, {
    rng: createPrng(rng.int(2 ** 31)),
    contextLength: config.contextLength,
    target: WARM_START_TARGETS[recipe.scorePrior],
  });
  const heldOut = syntheticRowPairs(test).pairs.slice(0, recipe.evalPairs);
  const fresh = createPrng(rng.int(2 ** 31));
  const params = callbacks.initialParams ?? initParams(config, fresh);
  const order = createPrng(rng.int(2 ** 31));
  let cursor = examples.length;
  let permutation: number[] = [];
  // batches padded to their longest example, not the context
  const batch = () => {
    const out: WarmStartExample[] = [];
    while (out.length < recipe.batchSize) {
      if (cursor >= examples.length) {
        permutation = shuffle(examples.length, order);
        cursor = 0;
      }
      out.push(examples[permutation[cursor++]]);
    }
    return out;
  };
  const history: WarmStartProgress[] = [];
  let evaluation: PairEvaluation | undefined;
  const { optimizer } = await supervisedSteps({ params, config }, { recipe, batch }, {
    stopAfter: callbacks.stopAfter,
    evalEvery: recipe.evalEvery,
    onStep: (p) => {
      const progress = {
        step: p.step,
        loss: p.loss,
        lr: p.lr,
        gradNorm: p.gradNorm,
        seconds: p.seconds,
        tokensPerSecond: p.tokens / p.stepSeconds, // padding to the longest included
      };
      history.push(progress);
      callbacks.onStep?.(progress);
    },
    onEval: async (step) => {
      evaluation = await evaluatePairs({ params, config }, heldOut, {
        maxNewTokens: recipe.maxNewTokens,
      });
      await callbacks.onEval?.(step, evaluation, params);
    },
  });
  return { params, config, optimizer, evaluation: evaluation!, history };
}
