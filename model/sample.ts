/**
 * Batched generation of many rollouts per prompt.
 *
 * {@link generate} prefills the prompts once and then decodes one token per step from the
 * key/value cache; {@link generateUncached} re-runs the whole sequence for every token and is the
 * reference the cached path is tested and benchmarked against. Both share one sampling loop, so
 * the same seed gives the same rollouts from either (up to float rounding of the logits).
 *
 * Sampling happens in JavaScript on logits downloaded with `await data()` (never `dataSync`, which
 * throws on webgpu under Deno). Each row consumes one PRNG draw per step, rows in order.
 *
 * The returned `logProbs` are log-probabilities of the sampled tokens under the model's
 * UNTEMPERED softmax (temperature 1, no top-p), whatever temperature/top-p drew them. With
 * temperature 1 and top-p 1 (IRPM's recipe) they are exactly GRPO's old log-probs; otherwise they
 * are the model's log-probs, not the sampling distribution's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../rng/prng.ts";
import type { ModelConfig } from "./config.ts";
import {
  decodeStep,
  disposeKvCache,
  type KvCache,
  leftPad,
  prefill,
  selectRows,
} from "./kv_cache.ts";
import type { Model, Params } from "./params.ts";
import { checkTokenChoice, logProbOf, sampleToken, type TokenChoice } from "./token_sampling.ts";
import { sampleTokensOnDevice } from "./device_token_sampling.ts";
import { decode, EOS_ID, PAD_ID, SCORE_CLOSE_ID } from "./tokenizer.ts";
import { forward } from "./transformer.ts";
import { batchInvariantMatMul } from "./blas.ts";

/** Options of {@link generate}. */
export interface GenerateOptions extends TokenChoice {
  /** Prompts as token ids, each starting with BOS. */
  readonly prompts: readonly (readonly number[])[];
  /** Most tokens to generate per rollout (prompt + this must fit contextLength). */
  readonly maxNewTokens: number;
  /** Rollouts per prompt, G. Default 1. */
  readonly rollouts?: number;
  /** Seeded PRNG; required unless greedy (or temperature 0) or `rowRngs` is given. */
  readonly rng?: Prng;
  /**
   * One PRNG per row (prompt-major, rollout-minor; rows may share one), used instead of `rng`:
   * a row's draws then do not depend on the other rows of the batch. Rows that share a PRNG draw
   * from it in row order, as they would from `rng` in a batch of their own.
   */
  readonly rowRngs?: readonly Prng[];
  /**
   * Left-pad every prompt to at least this many tokens, so each row's logits are bit-for-bit the
   * same whatever other prompts share the batch (see `leftPad`). Default: the longest prompt.
   */
  readonly promptWidth?: number;
  /** A rollout ends after emitting one of these. Default `</score>` and EOS. */
  readonly stopIds?: readonly number[];
  /**
   * Drop finished rows from the batch once a quarter of it has finished: the other rows' tokens
   * and log-probs are unchanged where a row's logits do not depend on its batch-mates (wasm and
   * cpu, tested; webgpu not yet), and the work shrinks. Default: on, except while BLAS kernels are installed
   * (`--backend blas`: a matmul moves between sgemm and wasm with its size, so rows would change
   * in their last bits). `false` keeps every row to the end.
   */
  readonly compact?: boolean;
  /**
   * Where tokens are chosen: `"host"` downloads each step's logits and samples in JavaScript;
   * `"device"` samples with tensor ops and reads tokens back every `syncEvery` steps
   * ({@link generateOnDevice}). Default: `"device"` on webgpu (a read-back costs a fixed ~25 ms
   * there), `"host"` elsewhere.
   */
  readonly sampleOn?: "host" | "device";
  /** `sampleOn: "device"`: steps between read-backs of the chosen tokens. Default 8. */
  readonly syncEvery?: number;
}

/** One generated completion. */
export interface Rollout {
  /** Index of its prompt; rollouts of prompt i are rows i*G .. i*G + G - 1. */
  readonly prompt: number;
  /** Completion token ids, including the stop token when there is one. */
  readonly tokens: readonly number[];
  /** `decode(tokens)`. */
  readonly text: string;
  /** Per completion token: log p(token | prefix) under the untempered softmax. */
  readonly logProbs: readonly number[];
  /** True when it ended on a stop id, false when it hit maxNewTokens. */
  readonly stopped: boolean;
}

/** Produces next-token logits, row-major [B, V], for a growing batch of sequences. */
interface Decoder {
  start(): Promise<Float32Array>;
  step(tokens: readonly number[]): Promise<Float32Array>;
  /** Keeps only these rows (indices into the current batch, in the new order). */
  keep(rows: readonly number[]): void;
  dispose(): void;
}

async function download(logits: tf.Tensor): Promise<Float32Array> {
  try {
    return await logits.data() as Float32Array;
  } finally {
    logits.dispose();
  }
}

function cachedDecoder(
  params: Params,
  config: ModelConfig,
  rows: number[][],
  width = 0,
): Decoder {
  let cache: KvCache | undefined;
  return {
    start() {
      const out = prefill({ params, config }, rows, { width });
      cache = out.cache;
      return download(out.logits);
    },
    step(tokens) {
      const out = decodeStep({ params, config }, { cache: cache!, tokens });
      disposeKvCache(cache!);
      cache = out.cache;
      return download(out.logits);
    },
    keep(kept) {
      const old = cache!;
      cache = selectRows(old, kept);
      disposeKvCache(old);
    },
    dispose: () => cache && disposeKvCache(cache),
  };
}

function uncachedDecoder(
  params: Params,
  config: ModelConfig,
  rows: number[][],
  width = 0,
): Decoder {
  let sequences = rows.map((row) => [...row]);
  let steps = 0;
  const run = () => {
    const padded = leftPad(sequences, { width: width + steps });
    const { batch, length } = padded;
    const tokens = tf.tensor2d(padded.tokens, [batch, length], "int32");
    const padMask = tf.tensor2d(padded.padMask, [batch, length]);
    const logits = forward({ params, config }, tokens, { padMask }); // [B, T, V]
    const last = tf.tidy(() =>
      tf.reshape(tf.slice(logits, [0, length - 1, 0], [batch, 1, -1]), [batch, -1])
    );
    tf.dispose([tokens, padMask, logits]);
    return download(last);
  };
  return {
    start: run,
    step(tokens) {
      tokens.forEach((id, b) => sequences[b].push(id));
      steps++;
      return run();
    },
    keep(kept) {
      sequences = kept.map((r) => sequences[r]);
    },
    dispose() {},
  };
}

type DecoderFactory = (
  params: Params,
  config: ModelConfig,
  rows: number[][],
  width?: number,
) => Decoder;

/** What both samplers need once the options are checked. */
interface Prepared {
  /** Prompt rows, prompt-major, rollout-minor (each a copy). */
  readonly rows: number[][];
  readonly greedy: boolean;
  readonly stops: ReadonlySet<number>;
  readonly choice: TokenChoice;
  /** The PRNG of row b. */
  readonly rngOf: (b: number) => Prng;
}

function prepare(model: Model, options: GenerateOptions): Prepared {
  const { prompts, maxNewTokens, rollouts = 1, rng, rowRngs, stopIds = [SCORE_CLOSE_ID, EOS_ID] } =
    options;
  const { config } = model;
  checkTokenChoice(options);
  const greedy = Boolean(options.greedy) || options.temperature === 0;
  if (!greedy && !rng && !rowRngs) throw new TypeError("generate needs options.rng unless greedy");
  if (rowRngs && rowRngs.length !== prompts.length * rollouts) {
    throw new RangeError(
      `rowRngs has ${rowRngs.length} PRNGs for ${prompts.length * rollouts} rows`,
    );
  }
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) {
    throw new RangeError(`maxNewTokens must be an integer >= 1, got ${maxNewTokens}`);
  }
  if (!Number.isInteger(rollouts) || rollouts < 1) {
    throw new RangeError(`rollouts must be an integer >= 1, got ${rollouts}`);
  }
  const longest = Math.max(options.promptWidth ?? 0, ...prompts.map((p) => p.length));
  if (longest + maxNewTokens > config.contextLength) {
    throw new RangeError(
      `longest prompt (${longest}) + maxNewTokens (${maxNewTokens}) exceeds contextLength ${config.contextLength}`,
    );
  }
  return {
    rows: prompts.flatMap((p) => Array.from({ length: rollouts }, () => [...p])),
    greedy,
    stops: new Set(stopIds),
    choice: { temperature: options.temperature, topP: options.topP, greedy: options.greedy },
    rngOf: (b) => rowRngs?.[b] ?? rng!,
  };
}

/** The rollouts of `rows` from what was sampled for each. */
function rolloutsOf(
  options: GenerateOptions,
  sampled: { tokens: number[][]; logProbs: number[][]; stopped: boolean[] },
): Rollout[] {
  const rollouts = options.rollouts ?? 1;
  return sampled.tokens.map((tokens, b) => ({
    prompt: Math.floor(b / rollouts),
    tokens,
    text: decode(tokens),
    logProbs: sampled.logProbs[b],
    stopped: sampled.stopped[b],
  }));
}

async function generateWith(
  makeDecoder: DecoderFactory,
  model: Model,
  options: GenerateOptions,
): Promise<Rollout[]> {
  const { params, config } = model;
  const { maxNewTokens } = options;
  const { rows, stops, choice, rngOf } = prepare(model, options);
  if (rows.length === 0) return [];
  const vocab = config.vocabSize;
  const tokens = rows.map((): number[] => []);
  const logProbs = rows.map((): number[] => []);
  const stopped = rows.map(() => false);
  const decoder = makeDecoder(params, config, rows, options.promptWidth);
  // active[j]: the row behind the decoder's row j; rows that stopped are dropped from the batch
  // once a quarter of it has (each kept row's logits stay the same; the work shrinks)
  let active = rows.map((_, b) => b);
  const compact = options.compact ?? batchInvariantMatMul();
  try {
    let logits = await decoder.start();
    for (let step = 0; step < maxNewTokens; step++) {
      let next = active.map((b, j) => {
        if (stopped[b]) return PAD_ID;
        const row = { offset: j * vocab, size: vocab };
        const id = sampleToken(logits, rngOf(b), { ...choice, ...row });
        tokens[b].push(id);
        logProbs[b].push(logProbOf(logits, id, row));
        if (stops.has(id)) stopped[b] = true;
        return id;
      });
      if (stopped.every(Boolean) || step === maxNewTokens - 1) break;
      const live = active.flatMap((b, j) => (stopped[b] ? [] : [j]));
      if (compact && live.length <= 0.75 * active.length) {
        decoder.keep(live);
        next = live.map((j) => next[j]);
        active = live.map((j) => active[j]);
      }
      logits = await decoder.step(next);
    }
  } finally {
    decoder.dispose();
  }
  return rolloutsOf(options, { tokens, logProbs, stopped });
}

/**
 * Samples `rollouts` completions for each prompt (token ids, starting with BOS) using the
 * key/value cache. Output order: prompt-major, rollout-minor.
 *
 * @example
 * ```ts
 * import { generate } from "./sample.ts";
 * import { initParams, disposeParams } from "./params.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { BOS_ID, encode } from "./tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const config = { vocabSize: 104, width: 16, depth: 1, heads: 2, contextLength: 16 };
 * const params = initParams(config, createPrng(0));
 * const prompts = [[BOS_ID, ...encode("hi")], [BOS_ID]];
 * const options = { prompts, maxNewTokens: 4, rollouts: 2, rng: createPrng(5) };
 * const out = await generate({ params, config }, options);
 * assertEquals(out.map((r) => r.prompt), [0, 0, 1, 1]);
 * assertEquals(out.every((r) => r.tokens.length === r.logProbs.length), true);
 * disposeParams(params);
 * ```
 */
export function generate(model: Model, options: GenerateOptions): Promise<Rollout[]> {
  const on = options.sampleOn ?? defaultSampleOn();
  return on === "device"
    ? generateOnDevice(model, options)
    : generateWith(cachedDecoder, model, options);
}

/**
 * Where {@link generate} chooses tokens when `sampleOn` is not given: on the device on webgpu,
 * where each read-back waits for the GPU; on the host elsewhere, where a read-back is free.
 */
export function defaultSampleOn(): "host" | "device" {
  return tf.getBackend() === "webgpu" ? "device" : "host";
}

/**
 * Like {@link generate} with the key/value cache, but the tokens are chosen on the device
 * (`sampleTokensOnDevice`) and fed straight back into the next step: nothing is read back but the
 * chosen tokens and their log-probs, once every `options.syncEvery` steps (default 8), when the
 * host also learns which rows stopped. On webgpu, where each read-back waits for the GPU, this
 * replaces a round trip per token by one per `syncEvery` tokens; the price is up to
 * `syncEvery - 1` steps decoded after the last row stopped.
 *
 * The uniforms are drawn on the host, step by step, one per row not yet known to have stopped, so
 * with one PRNG per row (`rowRngs`) each rollout is the one {@link generate} samples on the host
 * (up to float32 rounding of the cumulative distribution: tested). With one shared `rng`, rows
 * that stopped inside a chunk still draw until the read-back, so the streams differ from the
 * host sampler's: same seed, same rollouts, but not the host's.
 *
 * @example
 * ```ts
 * import { generate, generateOnDevice } from "./sample.ts";
 * import { initParams, disposeParams } from "./params.ts";
 * import { createPrng } from "../rng/prng.ts";
 * import { BOS_ID } from "./tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * import "@tensorflow/tfjs-backend-cpu";
 * const config = { vocabSize: 104, width: 16, depth: 1, heads: 2, contextLength: 16 };
 * const params = initParams(config, createPrng(0));
 * const options = { prompts: [[BOS_ID], [BOS_ID, 40]], maxNewTokens: 6, greedy: true };
 * const device = await generateOnDevice({ params, config }, { ...options, syncEvery: 4 });
 * const host = await generate({ params, config }, options);
 * assertEquals(device.map((r) => r.tokens), host.map((r) => r.tokens));
 * disposeParams(params);
 * ```
 */
export async function generateOnDevice(
  model: Model,
  options: GenerateOptions,
): Promise<Rollout[]> {
  const { maxNewTokens, syncEvery = 8 } = options;
  if (!Number.isInteger(syncEvery) || syncEvery < 1) {
    throw new RangeError(`syncEvery must be an integer >= 1, got ${syncEvery}`);
  }
  const { rows, greedy, stops, choice, rngOf } = prepare(model, options);
  if (rows.length === 0) return [];
  const tokens = rows.map((): number[] => []);
  const logProbs = rows.map((): number[] => []);
  const stopped = rows.map(() => false);
  const compact = options.compact ?? batchInvariantMatMul();
  let active = rows.map((_, b) => b); // the row behind each row of the device batch
  let { logits, cache }: { logits: tf.Tensor2D | null; cache: KvCache } = prefill(model, rows, {
    width: options.promptWidth ?? 0,
  });
  const chunk: tf.Tensor[] = [];
  try {
    let step = 0;
    while (logits !== null) {
      const steps = Math.min(syncEvery, maxNewTokens - step);
      const width = active.length;
      let uniforms: tf.Tensor2D | null = null;
      if (!greedy) {
        const draws = new Float32Array(steps * width);
        for (let s = 0; s < steps; s++) {
          active.forEach((b, j) => draws[s * width + j] = rngOf(b).next());
        }
        uniforms = tf.tensor2d(draws, [steps, width]);
        chunk.push(uniforms);
      }
      const picks: tf.Tensor1D[] = [];
      for (let s = 0; s < steps; s++) {
        const u = uniforms &&
          tf.tidy(() => tf.reshape(tf.slice(uniforms!, [s, 0], [1, width]), [width]));
        const picked = sampleTokensOnDevice(logits!, u as tf.Tensor1D | null, choice);
        u?.dispose();
        logits!.dispose();
        logits = null;
        chunk.push(picked.ids, picked.logProbs);
        picks.push(picked.ids, picked.logProbs);
        if (++step === maxNewTokens) break;
        const next = decodeStep(model, { cache, tokens: picked.ids });
        disposeKvCache(cache);
        ({ cache, logits } = next);
      }
      // one read-back per chunk: [2 * steps, width] (ids exact in float32, then log-probs)
      const read = tf.tidy(() => tf.stack(picks.map((t) => tf.cast(t, "float32"))));
      const values = await read.data();
      read.dispose();
      tf.dispose(chunk.splice(0));
      for (let s = 0; s < values.length / (2 * width); s++) {
        active.forEach((b, j) => {
          if (stopped[b]) return;
          const id = values[2 * s * width + j];
          tokens[b].push(id);
          logProbs[b].push(values[(2 * s + 1) * width + j]);
          if (stops.has(id)) stopped[b] = true;
        });
      }
      if (logits === null || stopped.every(Boolean)) break;
      const live = active.flatMap((b, j) => (stopped[b] ? [] : [j]));
      if (compact && live.length <= 0.75 * active.length) {
        const old = { cache, logits: logits as tf.Tensor2D };
        cache = selectRows(old.cache, live);
        logits = tf.tidy(() => tf.gather(old.logits, tf.tensor1d(live, "int32"))) as tf.Tensor2D;
        disposeKvCache(old.cache);
        old.logits.dispose();
        active = live.map((j) => active[j]);
      }
    }
  } finally {
    tf.dispose(chunk);
    (logits as tf.Tensor2D | null)?.dispose();
    disposeKvCache(cache);
  }
  return rolloutsOf(options, { tokens, logProbs, stopped });
}

/**
 * Reference sampler: like {@link generate} but re-runs the full (left-padded) sequence for every
 * new token. Quadratically slower; used by tests and `cli/bench.ts`.
 */
export function generateUncached(model: Model, options: GenerateOptions): Promise<Rollout[]> {
  return generateWith(uncachedDecoder, model, options);
}
