/**
 * Settings of `deno task serve`: one frozen object with every default in one place. CLI flags
 * only fill it ({@link SERVE_DEFAULTS}).
 *
 * @module
 */
import { BACKEND_CHOICES, type BackendChoice } from "../model/backend_choice.ts";

/** A serving backend: one of the kit's backends, or `"auto"` (`blas` if it can start, else `wasm`). */
export type ServeBackend = BackendChoice;

/** Accepted `--backend` values of the servers. */
export const SERVE_BACKENDS: readonly ServeBackend[] = BACKEND_CHOICES;
import { DEFAULT_ALPHA, type DesignName, type MarginSpec } from "../irpm/mod.ts";
import { POINTWISE_MAX_NEW_TOKENS } from "../eval_run/pointwise_eval.ts";

/** Everything the server needs besides the model. */
export interface ServeConfig {
  /** Interface to bind. */
  readonly host: string;
  /** TCP port; 0 picks a free one (the bound address is printed). */
  readonly port: number;
  /** Bearer token every request but `GET /health` must carry; null: no authentication. */
  readonly token: string | null;
  /** Judgments per response: 1 = greedy, k > 1 = voting@k (mean of the valid sampled scores). */
  readonly votes: number;
  /** `greedy`: the digits of the greedy judgment; `expected`: the expected score after its
   * critique (open question 1: no ties, no extra judgments). */
  readonly readout: "greedy" | "expected";
  /** Seed of each request's sampling PRNG (voting@k only). */
  readonly seed: number;
  /** Most responses per generation call. */
  readonly maxBatch: number;
  /** How long the first queued request waits for others to share its generation call. */
  readonly batchWaitMs: number;
  /** Largest accepted request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Generation cap per judgment. */
  readonly maxNewTokens: number;
  /** `/get_reward` reward of a response whose judgment does not parse. */
  readonly invalidReward: number;
  /** tfjs backend, or `"auto"`: `blas` where a BLAS library loads, else `wasm` ({@link ServeBackend}). */
  readonly backend: ServeBackend;
  /** `/irpm/rewards` reward design. */
  readonly design: DesignName;
  /** `/irpm/rewards` margin: `"adaptive"` or a fixed delta. */
  readonly margin: MarginSpec;
  /** `/irpm/rewards` interval level. */
  readonly alpha: number;
}

/** Defaults of {@link ServeConfig}, each with its reason. */
export const SERVE_DEFAULTS: Readonly<ServeConfig> = Object.freeze({
  // loopback only: exposing a judge to the network is a decision to make explicitly
  host: "127.0.0.1",
  // OpenRLHF's serve_rm default, so its examples' --remote_rm_url works unchanged
  port: 5000,
  token: null,
  // greedy: the method's k = 1 and the cheapest judgment
  votes: 1,
  // the digits the judgment wrote, as `deno task eval` counts by default
  readout: "greedy",
  // the eval CLI's default seed, so voting@k matches `deno task eval --seed 0`
  seed: 0,
  // the eval CLI's default chunk: the batch size its numbers were measured with
  maxBatch: 64,
  // a few ms: long enough for concurrent requests to meet, short next to one generation call
  batchWaitMs: 5,
  // 8 MiB holds thousands of rollouts; anything larger is a mistake or an attack
  maxBodyBytes: 8 * 1024 * 1024,
  // the trainer's cap, as in `deno task eval`
  maxNewTokens: POINTWISE_MAX_NEW_TOKENS,
  // the middle of the 0-10 scale: a judge that fails to parse says nothing about the response,
  // so the policy is neither paid nor punished for it (and the failure is counted)
  invalidReward: 5,
  // blas where OpenBLAS is installed, else wasm: a batched generation call is mostly matmuls, which
  // BLAS runs several times faster (serve:bench on 2 cores, C = 32: batching gives 3.8x on blas,
  // 2.7x on wasm); wasm runs everywhere with nothing installed
  backend: "auto",
  // the released main recipe, as in `deno task rewards`
  design: "mean",
  margin: "adaptive",
  alpha: DEFAULT_ALPHA,
});
