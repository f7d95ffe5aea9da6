/**
 * Scoring responses with the pointwise GRM for the server: each response is judged alone (O(n)),
 * greedy (`votes` = 1, the method's k = 1) or voting@k (k samples at temperature 1, the mean of
 * the valid scores; method.md "Evaluation").
 *
 * Batching that cannot change a result: every prompt is left-padded to the same width (the
 * prompt room, contextLength - maxNewTokens) whoever shares its generation call, so a row's
 * logits are bit for bit those it gets alone; padding to the longest prompt of the batch, as
 * `generate` does by default, moves them by float rounding (~1e-6), enough to flip a greedy
 * near-tie. Sampling draws come from one PRNG per job, seeded with `seed`, consumed in the job's
 * row order: a job's voting scores depend on its texts and the seed only. They equal
 * `deno task eval --seed <seed>` when one eval generation call holds the job's items
 * (`--chunk` >= items x k), and a job larger than `maxBatch` is run in slices of `maxBatch`
 * items, as eval runs chunks of `--chunk / k`.
 *
 * @module
 */
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { generate } from "../model/sample.ts";
import { parseJudgment } from "../irpm/parse.ts";
import { createPrng, type Prng } from "../rng/prng.ts";
import type { ResponseItem } from "../data/types.ts";
import { judgePromptTokens } from "../train/judge.ts";
import { votingScore } from "../eval/voting.ts";
import { readoutScores } from "../eval_run/pointwise_scores.ts";

/** Options of {@link createGrmScorer}. */
export interface GrmScorerOptions {
  /** Judgments per response: 1 = greedy, k > 1 = voting@k. */
  readonly votes: number;
  /**
   * Greedy only: `expected` scores each response by the expectation of the GRM's score
   * distribution after its greedy critique (eval/score_readout.ts) instead of the digits it wrote.
   * Default `greedy`.
   */
  readonly readout?: "greedy" | "expected";
  /** Seed of each job's sampling PRNG (votes > 1). */
  readonly seed: number;
  /** Generation cap per judgment. */
  readonly maxNewTokens: number;
  /** Most responses per generation call. */
  readonly maxBatch: number;
  /** Called after each generation call with its number of responses and judgments. */
  readonly onCall?: (responses: number, judgments: number) => void;
}

/** The GRM's verdict on one response. */
export interface ResponseScore {
  /** Greedy score, or the mean of the valid sampled scores; null when none parsed. */
  readonly score: number | null;
  /** Each judgment's parsed score (one when greedy, k when voting). */
  readonly scores: readonly (number | null)[];
  /** Each judgment's text. */
  readonly texts: readonly string[];
}

/** Scores jobs (lists of responses), one result list per job, in order. */
export type GrmScorer = (jobs: readonly (readonly ResponseItem[])[]) => Promise<ResponseScore[][]>;

interface Row {
  job: number;
  item: number;
  prompt: number[];
  rng?: Prng;
  source: ResponseItem;
}

/** Builds the scoring function over one loaded GRM. */
export function createGrmScorer(
  model: { params: Params; config: ModelConfig },
  options: GrmScorerOptions,
): GrmScorer {
  const { votes, seed, maxBatch } = options;
  if (!Number.isInteger(votes) || votes < 1) {
    throw new RangeError(`votes must be an integer >= 1, got ${votes}`);
  }
  const readout = options.readout ?? "greedy";
  if (readout === "expected" && votes !== 1) {
    throw new RangeError(`the expected-score readout reads one greedy judgment; votes is ${votes}`);
  }
  const maxNewTokens = Math.min(options.maxNewTokens, model.config.contextLength - 2);
  // the room judgePromptTokens leaves, as in judgeItems: every prompt is padded to it
  const room = model.config.contextLength - maxNewTokens;
  return async (jobs) => {
    const rows: Row[] = jobs.flatMap((items, job) => {
      const rng = votes > 1 ? createPrng(seed) : undefined;
      return items.map((item, i) => ({
        job,
        item: i,
        prompt: judgePromptTokens(item, room).tokens,
        rng,
        source: item,
      }));
    });
    const out: ResponseScore[][] = jobs.map((items) => new Array(items.length));
    for (let start = 0; start < rows.length; start += maxBatch) {
      const slice = rows.slice(start, start + maxBatch);
      const generated = await generate(model, {
        prompts: slice.map((r) => r.prompt),
        maxNewTokens,
        promptWidth: room,
        greedy: votes === 1,
        rollouts: votes,
        temperature: 1,
        topP: 1,
        rowRngs: votes > 1 ? slice.flatMap((r) => new Array(votes).fill(r.rng)) : undefined,
      });
      options.onCall?.(slice.length, generated.length);
      // the readout's prefixes are padded to one width too: batching changes no expected score
      const expected = readout === "expected"
        ? await readoutScores(model, {
          items: slice.map((r) => r.source),
          greedy: generated.map((g) => ({ score: null, text: g.text })),
        }, { readout, maxNewTokens, fixedWidth: true })
        : null;
      slice.forEach((row, r) => {
        const judged = generated.slice(r * votes, (r + 1) * votes);
        const scores = judged.map((g) => parseJudgment(g.text).score);
        out[row.job][row.item] = {
          score: expected ? expected[r] : votes === 1 ? scores[0] : votingScore(scores),
          scores,
          texts: judged.map((g) => g.text),
        };
      });
    }
    return out;
  };
}
