/**
 * The expected-score readout (open question 1 of the paper: ties without voting).
 *
 * A GRM writes its score as tokens after `<score>`, so once the critique is written, the model's
 * next-token distributions give the whole distribution over score strings: P("7</score>") =
 * P("7" | prefix) * P("</score>" | prefix + "7"), and a two-token score such as "10" or "7.5" is
 * the product along its tokens. Over a finite set of valid score strings S (the integers 0..10,
 * optionally the one-decimal values 0.0..10.0), renormalised:
 *
 *   p(s) = P(s</score> | prefix) / sum_{s' in S} P(s'</score> | prefix)
 *   expected score = sum_s p(s) value(s);  q-quantile = min{ v : sum_{value(s) <= v} p(s) >= q }
 *
 * One forward pass per distinct token prefix of S (a trie: 12 nodes for the integers), against k
 * full judgments for voting@k, and the readout is continuous, so two responses rarely tie.
 *
 * @module
 */

/** One valid score string: its value and its token ids, the closing `</score>` included. */
export interface ScoreCandidate {
  readonly text: string;
  readonly value: number;
  readonly tokens: readonly number[];
}

/**
 * The score strings the readout weighs: "0".."10", and with `decimals` also "0.0".."10.0" (one
 * decimal place; "7" and "7.0" are two strings of one value). `encode` maps text to token ids and
 * `close` is the `</score>` token.
 *
 * @example
 * ```ts
 * import { scoreCandidates } from "./score_readout.ts";
 * import { assertEquals } from "@std/assert";
 * const chars = (t: string) => [...t].map((c) => c.charCodeAt(0));
 * const ints = scoreCandidates({ encode: chars, close: 0 });
 * assertEquals(ints.length, 11);
 * assertEquals(ints[10], { text: "10", value: 10, tokens: [49, 48, 0] });
 * assertEquals(scoreCandidates({ encode: chars, close: 0, decimals: true }).length, 11 + 101);
 * ```
 */
export function scoreCandidates(options: {
  encode: (text: string) => number[];
  close: number;
  decimals?: boolean;
}): ScoreCandidate[] {
  const texts = Array.from({ length: 11 }, (_, i) => String(i));
  if (options.decimals) {
    for (let tenths = 0; tenths <= 100; tenths++) texts.push((tenths / 10).toFixed(1));
  }
  return texts.map((text) => ({
    text,
    value: Number(text),
    tokens: [...options.encode(text), options.close],
  }));
}

/** The distribution over score values a readout reports. */
export interface ScoreDistribution {
  /** Distinct values, ascending, with their renormalised probabilities. */
  readonly values: readonly number[];
  readonly probabilities: readonly number[];
  /** Probability the model puts on the candidate strings before renormalising (how much of its
   * mass the readout saw; low when it would write something else). */
  readonly mass: number;
}

/**
 * The next-token log-probabilities after each of `prefixes` (token ids after `<score>`), one array
 * per prefix indexed by token id. The model behind it runs one forward pass per prefix.
 */
export type NextTokenLogProbs = (
  prefixes: readonly (readonly number[])[],
) => Promise<readonly ArrayLike<number>[]>;

/**
 * The distribution over the candidates' values, from the model's next-token log-probs: every
 * distinct prefix of the candidates' token strings is asked once (level by level, so a batched
 * model runs one call per token position).
 *
 * @example
 * ```ts
 * import { scoreDistribution } from "./score_readout.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * // tokens: 0 = "</score>", 1 = "1", 2 = "0", 3 = "7"; a hand-built judge:
 * // after <score>: "7" 0.6, "1" 0.4; after "1": "0" 0.5, "</score>" 0.5; digits then close.
 * const next = (p: readonly number[]) =>
 *   p.length === 0 ? [0, 0.4, 0, 0.6] : p.join() === "1" ? [0.5, 0, 0.5, 0] : [1, 0, 0, 0];
 * const judge = async (ps: readonly (readonly number[])[]) => ps.map((p) => next(p).map(Math.log));
 * const candidates = [
 *   { text: "1", value: 1, tokens: [1, 0] },
 *   { text: "7", value: 7, tokens: [3, 0] },
 *   { text: "10", value: 10, tokens: [1, 2, 0] }, // two digits: 0.4 * 0.5 * 1
 * ];
 * const d = await scoreDistribution(judge, candidates);
 * assertEquals(d.values, [1, 7, 10]);
 * assertAlmostEquals(d.probabilities[0], 0.2, 1e-12);
 * assertAlmostEquals(d.probabilities[1], 0.6, 1e-12);
 * assertAlmostEquals(d.probabilities[2], 0.2, 1e-12);
 * assertAlmostEquals(d.mass, 1, 1e-12);
 * ```
 */
export async function scoreDistribution(
  nextTokenLogProbs: NextTokenLogProbs,
  candidates: readonly ScoreCandidate[],
): Promise<ScoreDistribution> {
  if (candidates.length === 0) throw new RangeError("scoreDistribution: no candidates");
  // log P of each candidate, accumulated one token position at a time over the shared prefixes
  const logP = candidates.map(() => 0);
  const longest = Math.max(...candidates.map((c) => c.tokens.length));
  for (let depth = 0; depth < longest; depth++) {
    const keys = new Map<string, number[]>();
    candidates.forEach((c) => {
      if (c.tokens.length <= depth) return;
      const prefix = c.tokens.slice(0, depth);
      const key = prefix.join(",");
      if (!keys.has(key)) keys.set(key, prefix);
    });
    const prefixes = [...keys.values()];
    const dists = await nextTokenLogProbs(prefixes);
    const byKey = new Map([...keys.keys()].map((key, i) => [key, dists[i]]));
    candidates.forEach((c, i) => {
      if (c.tokens.length <= depth) return;
      logP[i] += byKey.get(c.tokens.slice(0, depth).join(","))![c.tokens[depth]];
    });
  }
  const top = Math.max(...logP);
  const weights = logP.map((l) => Math.exp(l - top));
  const total = weights.reduce((a, w) => a + w, 0);
  const byValue = new Map<number, number>();
  candidates.forEach((c, i) => byValue.set(c.value, (byValue.get(c.value) ?? 0) + weights[i]));
  const values = [...byValue.keys()].sort((a, b) => a - b);
  return {
    values,
    probabilities: values.map((v) => byValue.get(v)! / total),
    mass: Math.exp(top) * total,
  };
}

/**
 * The expected score: sum of value x probability.
 *
 * @example
 * ```ts
 * import { expectedScore } from "./score_readout.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(expectedScore({ values: [6, 8], probabilities: [0.25, 0.75], mass: 1 }), 7.5);
 * // all mass on one score: that score
 * assertEquals(expectedScore({ values: [3, 9], probabilities: [0, 1], mass: 1 }), 9);
 * ```
 */
export function expectedScore(distribution: ScoreDistribution): number {
  return distribution.values.reduce((a, v, i) => a + v * distribution.probabilities[i], 0);
}

/**
 * The q-quantile of the score: the smallest value whose cumulative probability reaches q (q = 0.5:
 * the median).
 *
 * @example
 * ```ts
 * import { scoreQuantile } from "./score_readout.ts";
 * import { assertEquals } from "@std/assert";
 * const d = { values: [2, 5, 9], probabilities: [0.3, 0.3, 0.4], mass: 1 };
 * assertEquals([scoreQuantile(d, 0.3), scoreQuantile(d, 0.5), scoreQuantile(d, 0.9)], [2, 5, 9]);
 * ```
 */
export function scoreQuantile(distribution: ScoreDistribution, q: number): number {
  if (!(q > 0 && q <= 1)) throw new RangeError(`scoreQuantile: q must be in (0, 1], got ${q}`);
  let cumulative = 0;
  for (let i = 0; i < distribution.values.length; i++) {
    cumulative += distribution.probabilities[i];
    if (cumulative >= q - 1e-12) return distribution.values[i];
  }
  return distribution.values.at(-1)!;
}
