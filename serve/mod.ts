/**
 * Serving the GRM and the IRPM rewards to RL engines (`deno task serve`). Read in this order:
 *
 * - `config.ts`: {@link ServeConfig} and its defaults
 * - `query_split.ts`, `reward_request.ts`: OpenRLHF's `/get_reward` body -> (context, response)
 * - `grm_scorer.ts`: pointwise judgments, greedy or voting@k, batched without changing a result
 * - `batch_queue.ts`: dynamic batching (a queue, a wait window, a max batch size)
 * - `irpm_rewards.ts`: `/irpm/rewards`, the `deno task rewards` contract over HTTP
 * - `metrics.ts`, `serve_metrics.ts`: Prometheus text for `/metrics`
 * - `http_error.ts`, `read_body.ts`: refusals with a status and a message naming the field
 * - `handler.ts`: the routes; `server.ts`: the socket and the graceful stop
 * - `worker_scorer.ts`, `grm_worker.ts`: the GRM in a worker thread, off the server's event loop
 * - `load_test.ts`: the bounded load test behind `deno task serve:bench`
 *
 * @example
 * ```ts
 * import { parseRewardRequest, rewardReply } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 * const items = parseRewardRequest({ query: ["Q? yes"], prompts: ["Q? "] });
 * assertEquals(items[0].response, "yes");
 * assertEquals(rewardReply([{ score: null, scores: [null], texts: [""] }], 5).rewards, [5]);
 * ```
 * @module
 */
export * from "./config.ts";
export * from "./query_split.ts";
export * from "./reward_request.ts";
export * from "./grm_scorer.ts";
export * from "./batch_queue.ts";
export * from "./irpm_rewards.ts";
export * from "./metrics.ts";
export * from "./serve_metrics.ts";
export * from "./http_error.ts";
export * from "./read_body.ts";
export * from "./handler.ts";
export * from "./server.ts";
export * from "./worker_scorer.ts";
export * from "./load_test.ts";
