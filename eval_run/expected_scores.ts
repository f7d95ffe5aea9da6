/**
 * The expected-score readout of a pointwise GRM (eval/score_readout.ts) on real judgments: keep
 * the greedy critique, cut the judgment right after `<score>`, and ask the model for its
 * distribution over the valid score strings there: a prefill of the prefix, then the whole trie
 * of score strings in one tree-attention pass over the key/value cache, `chunk` judgments at a
 * time. It re-reads the prompt and critique (about the cost of the greedy pass itself); reading
 * it from the greedy pass's own cache would cost only the trie pass.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ResponseItem } from "../data/types.ts";
import {
  type NextTokenLogProbs,
  type ScoreCandidate,
  scoreCandidates,
  type ScoreDistribution,
  scoreDistribution,
} from "../eval/score_readout.ts";
import type { ModelConfig } from "../model/config.ts";
import { disposeKvCache, prefill } from "../model/kv_cache.ts";
import { MASKED } from "../model/attention.ts";
import { embed, head, stack } from "../model/transformer.ts";
import type { Params } from "../model/params.ts";
import { encode, SCORE_CLOSE_ID, SCORE_OPEN_ID } from "../model/tokenizer.ts";
import { DEFAULT_TRAIN_CONFIG } from "../train/config.ts";
import { judgePromptTokens } from "../train/judge.ts";

/** Options of {@link expectedScoreReadouts}. */
export interface ReadoutOptions {
  /**
   * The generation budget the judgments were made with (it fixes the prompt room). Default: the
   * trainer's, as in `judgeItems`.
   */
  readonly maxNewTokens?: number;
  /** Also weigh the one-decimal strings 0.0..10.0 (default: integers 0..10 only). */
  readonly decimals?: boolean;
  /** Judgments per pass (default 16: measured fastest of 16, 64, 256 on wasm). */
  readonly chunk?: number;
  /**
   * Left-pad every prefix to the same width (the longest that still leaves room for the score
   * strings), so a judgment's readout does not depend on the others in its pass, bit for bit
   * (the server's batching promise). Default false: pad to the longest prefix of the pass.
   */
  readonly fixedWidth?: boolean;
}

/** The token prefix a judgment's readout starts from: prompt + judgment up to `<score>`, or null
 * when the judgment never opened a score (a format failure: no readout, as greedy has none). */
export function readoutPrefix(
  judged: { item: ResponseItem; judgment: string },
  room: number,
): number[] | null {
  const { item, judgment } = judged;
  const tokens = encode(judgment);
  const open = tokens.indexOf(SCORE_OPEN_ID);
  if (open < 0) return null;
  return [...judgePromptTokens(item, room).tokens, ...tokens.slice(0, open + 1)];
}

/** Every proper prefix of the candidates' token strings (the trie's inner nodes), by depth. */
function trieLevels(candidates: readonly ScoreCandidate[]): number[][][] {
  const levels: Map<string, number[]>[] = [];
  for (const c of candidates) {
    for (let depth = 0; depth < c.tokens.length; depth++) {
      const node = c.tokens.slice(0, depth);
      (levels[depth] ??= new Map()).set(node.join(","), node);
    }
  }
  return levels.map((level) => [...level.values()]);
}

/** Log-softmax of logits [B, V] as one array per row (the tensor is disposed). */
function logProbRows(logits: tf.Tensor2D, vocab: number): Float32Array[] {
  const logProbs = tf.tidy(() => tf.logSoftmax(logits));
  logits.dispose();
  const data = logProbs.dataSync() as Float32Array;
  logProbs.dispose();
  return Array.from(
    { length: data.length / vocab },
    (_, i) => data.slice(i * vocab, (i + 1) * vocab),
  );
}

/**
 * The next-token log-probs at every trie node after each prefix, in two passes: a prefill of the
 * prefixes (the root: right after `<score>`), then one pass over all other trie nodes at once
 * from the key/value cache, each node a query at its own position that sees the prefix, its
 * ancestors in the trie and itself (tree attention: no copy of the cache per branch). For the
 * integers 0..10 that is 11 queries per judgment. Returns, per prefix, a map from node (token ids
 * joined by ",") to log-probs.
 */
function trieLogProbs(
  model: { params: Params; config: ModelConfig },
  prefixes: readonly (readonly number[])[],
  levels: readonly (readonly number[][])[],
  width = 0,
): Map<string, Float32Array>[] {
  const { params, config } = model;
  const vocab = config.vocabSize;
  const out = prefixes.map(() => new Map<string, Float32Array>());
  const first = prefill({ params, config }, prefixes, { width });
  logProbRows(first.logits, vocab).forEach((d, i) => out[i].set("", d));
  const nodes = levels.slice(1).flat();
  if (nodes.length === 0) {
    disposeKvCache(first.cache);
    return out;
  }
  const batch = prefixes.length, queries = nodes.length;
  // node j is visible to node i when it is i or one of its ancestors (a prefix of it)
  const tree = new Float32Array(queries * queries).fill(MASKED);
  nodes.forEach((ni, i) =>
    nodes.forEach((nj, j) => {
      if (nj.length <= ni.length && nj.every((t, k) => t === ni[k])) tree[i * queries + j] = 0;
    })
  );
  const cache = first.cache;
  try {
    const logits = tf.tidy(() => {
      const ids = tf.tensor2d(
        Int32Array.from(prefixes.flatMap(() => nodes.map((n) => n.at(-1)!))),
        [batch, queries],
        "int32",
      );
      const positions = tf.tensor2d(
        Int32Array.from(
          cache.nextPositions.flatMap((p) => nodes.map((n) => p + n.length - 1)),
        ),
        [batch, queries],
        "int32",
      );
      const mask = tf.concat([
        tf.tile(cache.keyBias, [1, 1, queries, 1]), // [B, 1, Q, Tk]: the prefix, padding masked
        tf.tile(tf.tensor4d(tree, [1, 1, queries, queries]), [batch, 1, 1, 1]), // [B, 1, Q, Q]
      ], 3);
      const { hidden } = stack({ params, config }, {
        x: embed(params, ids, positions),
        batch,
        queries,
        mask,
        past: cache.layers,
      });
      return head(params, hidden); // [B * Q, V]
    });
    logProbRows(logits, vocab).forEach((d, r) => {
      out[Math.floor(r / queries)].set(nodes[r % queries].join(","), d);
    });
  } finally {
    disposeKvCache(cache);
  }
  return out;
}

/**
 * The score distribution of each judged response, read after its own (greedy) critique: null
 * where the judgment has no `<score>` or no room is left in the context for the score strings.
 */
export async function expectedScoreReadouts(
  model: { params: Params; config: ModelConfig },
  judged: { items: readonly ResponseItem[]; judgments: readonly string[] },
  options: ReadoutOptions = {},
): Promise<(ScoreDistribution | null)[]> {
  const { items, judgments } = judged;
  const candidates: ScoreCandidate[] = scoreCandidates({
    encode,
    close: SCORE_CLOSE_ID,
    decimals: options.decimals,
  });
  const longest = Math.max(...candidates.map((c) => c.tokens.length));
  const room = model.config.contextLength - Math.min(
    options.maxNewTokens ?? DEFAULT_TRAIN_CONFIG.maxNewTokens,
    model.config.contextLength - 2,
  );
  const levels = trieLevels(candidates);
  const prefixes = items.map((item, i) => {
    const prefix = readoutPrefix({ item, judgment: judgments[i] }, room);
    // the deepest prefix asked is prefix + longest - 1 tokens
    return prefix === null || prefix.length + longest - 1 > model.config.contextLength
      ? null
      : prefix;
  });
  const asked = prefixes.flatMap((p, i) => (p === null ? [] : [i]));
  const chunk = options.chunk ?? 16;
  const dists: Map<string, Float32Array>[] = [];
  for (let at = 0; at < asked.length; at += chunk) {
    dists.push(
      ...trieLogProbs(
        model,
        asked.slice(at, at + chunk).map((i) => prefixes[i]!),
        levels,
        options.fixedWidth ? model.config.contextLength - (longest - 1) : 0,
      ),
    );
  }
  const byItem = new Map(asked.map((i, k) => [i, dists[k]]));
  return await Promise.all(items.map((_, i) => {
    const nodes = byItem.get(i);
    if (nodes === undefined) return Promise.resolve(null);
    const lookup: NextTokenLogProbs = (ps) =>
      Promise.resolve(ps.map((p) => nodes.get(p.join(","))!));
    return scoreDistribution(lookup, candidates);
  }));
}
