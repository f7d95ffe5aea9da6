/**
 * Ties and voting, measured (claim 6 of the ablations): for one pointwise GRM on held-out pairs,
 * greedy judgments against voting@k (mean of k sampled scores) at several sampling temperatures,
 * with their compute (judge calls, generated tokens, seconds), and the quality of the sampled
 * critiques themselves: the critique ceiling (the accuracy of ranking by the error count a critique
 * states) of greedy critiques and of sampled ones at each temperature.
 *
 * The paper reports voting@8 adding +4.1 points over greedy. If the sampled critiques at a
 * temperature are worse than the greedy ones (a lower critique ceiling), votes average worse
 * evidence, and voting can fall below greedy; this study shows whether that is what happens.
 *
 * @module
 */
import type { Turn } from "../data/types.ts";
import { summarize, type Summary } from "../eval/accuracy.ts";
import { critiqueCeiling } from "../eval/critique_ceiling.ts";
import { pairOutcome } from "../eval/pair_decision.ts";
import { votingScore } from "../eval/voting.ts";
import { spearman } from "../eval/spearman.ts";
import { expectedScore, scoreQuantile } from "../eval/score_readout.ts";
import { expectedScoreReadouts } from "./expected_scores.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { encode } from "../model/tokenizer.ts";
import { pointwiseScores, type ScoredText } from "./pointwise_scores.ts";
import { uniqueResponses } from "./responses.ts";

/** One row of a voting study: a way of scoring, its accuracy and its compute. */
export interface VotingStudyRow extends Summary {
  /** `greedy`, or `vote@k` at `temperature`. */
  readonly method: string;
  /** Samples per response (1 for greedy). */
  readonly k: number;
  /** Sampling temperature (null for greedy). */
  readonly temperature: number | null;
  /** Judgments generated (each unique response judged k times). */
  readonly calls: number;
  /** Tokens generated over those judgments (characters of the judgment texts + the stop token). */
  readonly tokens: number;
  /**
   * Seconds: measured for the greedy pass and for the k_max samples at each temperature; a
   * smaller k is charged its share (calls / calls of k_max) of that measured time. A readout
   * row: the greedy pass plus the readout's forward passes.
   */
  readonly seconds: number;
  /** Spearman's rho between each response's score under this method and its hidden quality
   * (synthetic sets; null without qualities; absent in studies written before it was added). */
  readonly spearman?: number | null;
}

/** The expected-score readouts of the greedy judgments (eval_run/expected_scores.ts). */
export interface ReadoutScores {
  /** Per unique response: the expectation of its score distribution (null: no readout). */
  readonly expected: readonly (number | null)[];
  /** Per unique response: the median of its score distribution. */
  readonly median: readonly (number | null)[];
  /** Seconds of the readout's forward passes (after the greedy pass). */
  readonly seconds: number;
}

/** The critique ceiling of one kind of critique. */
export interface CritiqueQuality {
  /** `greedy`, or the sampling temperature. */
  readonly source: "greedy" | number;
  /** Mean critique-ceiling accuracy (over the samples, for sampled critiques). */
  readonly ceiling: number;
  /** Share of pairs whose two critiques state the same error count. */
  readonly tieRate: number;
}

/** Result of {@link votingStudy}. */
export interface VotingStudy {
  readonly rows: readonly VotingStudyRow[];
  readonly critiques: readonly CritiqueQuality[];
  /** Pairs judged. */
  readonly n: number;
}

/** Options of {@link votingStudy}. */
export interface VotingStudyOptions {
  /** Sampling temperatures (default [0.5, 0.7, 1.0]). */
  readonly temperatures?: readonly number[];
  /** Votes per response (default [1, 2, 4, 8]). */
  readonly ks?: readonly number[];
  /** Generation cap per judgment (default: `judgeItems`'s, the trainer's). */
  readonly maxNewTokens?: number;
  /** Seed of the sampling PRNG (default 0). */
  readonly seed?: number;
  readonly chunk?: number;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
  /** Add the expected-score readout rows (default true). */
  readonly readout?: boolean;
}

/** NaN (too few scored responses, or all equal) is reported as no correlation: null. */
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

const tokensOf = (judgments: readonly ScoredText[]) =>
  judgments.reduce((a, j) => a + encode(j.text).length + 1, 0);

/**
 * The voting study's rows from already generated judgments (pure; {@link votingStudy} runs the
 * model). `sampled[t][i]` holds the samples of unique response i at temperature index t;
 * `pairs[p]` indexes the chosen and rejected responses of pair p.
 *
 * @example
 * ```ts
 * import { votingStudyRows } from "./voting_study.ts";
 * import { assertEquals } from "@std/assert";
 * const j = (score: number, errors: number) => ({ score, text: `1 vs 1: ${errors} err` });
 * const study = votingStudyRows({
 *   pairs: [{ chosen: 0, rejected: 1 }],
 *   greedy: [j(8, 0), j(8, 0)], // greedy: a tie
 *   temperatures: [1],
 *   sampled: [[[j(9, 0), j(7, 2)], [j(6, 2), j(6, 2)]]], // votes 8 vs 6: a win
 *   ks: [1, 2],
 *   seconds: { greedy: 1, sampled: [4] },
 * });
 * assertEquals(study.rows.map((r) => [r.method, r.accuracy, r.tieRate, r.calls]),
 *   [["greedy", 0.5, 1, 2], ["vote@1 T=1", 1, 0, 2], ["vote@2 T=1", 1, 0, 4]]);
 * assertEquals(study.rows[2].seconds, 4); // all k_max samples
 * assertEquals(study.critiques.map((c) => [c.source, c.ceiling]), [["greedy", 0.5], [1, 0.75]]);
 * ```
 */
export function votingStudyRows(input: {
  pairs: readonly { chosen: number; rejected: number }[];
  greedy: readonly ScoredText[];
  temperatures: readonly number[];
  sampled: readonly (readonly (readonly ScoredText[])[])[];
  ks: readonly number[];
  seconds: { greedy: number; sampled: readonly number[] };
  readouts?: ReadoutScores;
  /** Hidden quality per unique response (synthetic), for each row's Spearman. */
  quality?: readonly (number | null)[];
}): VotingStudy {
  const { pairs, greedy, temperatures, sampled, ks, seconds, readouts, quality } = input;
  const kMax = Math.max(...ks);
  const responses = greedy.length;
  /** A row's accuracy and rank correlation from one score per unique response. */
  const scored = (score: (i: number) => number | null) => ({
    ...summarize(pairs.map((p) => pairOutcome(score(p.chosen), score(p.rejected)))),
    spearman: quality ? finiteOrNull(spearman(greedy.map((_, i) => score(i)), quality).rho) : null,
  });
  const rows: VotingStudyRow[] = [{
    method: "greedy",
    k: 1,
    temperature: null,
    calls: responses,
    tokens: tokensOf(greedy),
    seconds: seconds.greedy,
    ...scored((i) => greedy[i].score),
  }];
  if (readouts) {
    for (
      const [method, values] of [["expected", readouts.expected], [
        "median",
        readouts.median,
      ]] as const
    ) {
      rows.push({
        method: `${method} (greedy critique)`,
        k: 1,
        temperature: null,
        calls: responses,
        tokens: tokensOf(greedy),
        seconds: seconds.greedy + readouts.seconds,
        ...scored((i) => values[i]),
      });
    }
  }
  const critiques: CritiqueQuality[] = [];
  const greedyCeiling = critiqueCeiling(
    pairs.map((p) => ({ chosen: greedy[p.chosen].text, rejected: greedy[p.rejected].text })),
  );
  critiques.push({
    source: "greedy",
    ceiling: greedyCeiling.accuracy,
    tieRate: greedyCeiling.tieRate,
  });
  temperatures.forEach((temperature, t) => {
    const samples = sampled[t];
    for (const k of ks) {
      const vote = (i: number) => votingScore(samples[i].slice(0, k).map((s) => s.score));
      rows.push({
        method: `vote@${k} T=${temperature}`,
        k,
        temperature,
        calls: responses * k,
        tokens: tokensOf(samples.flatMap((s) => s.slice(0, k))),
        seconds: seconds.sampled[t] * k / kMax,
        ...scored(vote),
      });
    }
    const perSample = Array.from({ length: kMax }, (_, j) =>
      critiqueCeiling(
        pairs.map((p) => ({
          chosen: samples[p.chosen][j].text,
          rejected: samples[p.rejected][j].text,
        })),
      ));
    critiques.push({
      source: temperature,
      ceiling: perSample.reduce((a, c) => a + c.accuracy, 0) / kMax,
      tieRate: perSample.reduce((a, c) => a + c.tieRate, 0) / kMax,
    });
  });
  return { rows, critiques, n: pairs.length };
}

/**
 * Runs the voting study for a pointwise GRM: one greedy pass, then k_max samples per unique
 * response at each temperature (seeded), timed; see {@link votingStudyRows} for the rows.
 */
export async function votingStudy(
  model: { params: Params; config: ModelConfig },
  pairs: readonly {
    context: readonly Turn[];
    chosen: string;
    rejected: string;
    meta?: Readonly<Record<string, unknown>>;
  }[],
  options: VotingStudyOptions = {},
): Promise<VotingStudy> {
  const { temperatures = [0.5, 0.7, 1.0], ks = [1, 2, 4, 8], seed = 0, chunk } = options;
  const table = uniqueResponses(pairs);
  const kMax = Math.max(...ks);
  let started = performance.now();
  const greedy = await pointwiseScores(model, table.items, {
    samples: 0,
    maxNewTokens: options.maxNewTokens,
    chunk,
    onProgress: (done, total) => options.onProgress?.("greedy", done, total),
  });
  const greedySeconds = (performance.now() - started) / 1000;
  let readouts: ReadoutScores | undefined;
  if (options.readout ?? true) {
    options.onProgress?.("expected-score readout", 0, table.items.length);
    started = performance.now();
    const dists = await expectedScoreReadouts(model, {
      items: table.items,
      judgments: greedy.greedy.map((g) => g.text),
    }, { maxNewTokens: options.maxNewTokens, chunk });
    readouts = {
      expected: dists.map((d) => (d === null ? null : expectedScore(d))),
      median: dists.map((d) => (d === null ? null : scoreQuantile(d, 0.5))),
      seconds: (performance.now() - started) / 1000,
    };
    options.onProgress?.("expected-score readout", table.items.length, table.items.length);
  }
  // hidden quality of each unique response (synthetic pairs carry it in meta)
  const quality: (number | null)[] = table.items.map(() => null);
  pairs.forEach((p, i) => {
    const q = (key: string) => (typeof p.meta?.[key] === "number" ? p.meta[key] as number : null);
    quality[table.chosen[i]] ??= q("qualityChosen");
    quality[table.rejected[i]] ??= q("qualityRejected");
  });
  const sampled: ScoredText[][][] = [];
  const sampledSeconds: number[] = [];
  for (const temperature of temperatures) {
    started = performance.now();
    const out = await pointwiseScores(model, table.items, {
      samples: kMax,
      greedy: false,
      temperature,
      seed,
      maxNewTokens: options.maxNewTokens,
      chunk,
      onProgress: (done, total) => options.onProgress?.(`T=${temperature}`, done, total),
    });
    sampledSeconds.push((performance.now() - started) / 1000);
    sampled.push(out.samples);
  }
  return votingStudyRows({
    pairs: pairs.map((_, p) => ({ chosen: table.chosen[p], rejected: table.rejected[p] })),
    greedy: greedy.greedy,
    temperatures,
    sampled,
    ks,
    seconds: { greedy: greedySeconds, sampled: sampledSeconds },
    readouts,
    quality: quality.some((q) => q !== null) ? quality : undefined,
  });
}
