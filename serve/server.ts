/**
 * Binding the handler to a socket: {@link startServer} loads nothing and prints nothing; it wires
 * a GRM scorer (in-thread, or the worker of `worker_scorer.ts`), the batch queue, the metrics and
 * the routes, and serves them with `Deno.serve`.
 * {@link RunningServer.shutdown} stops accepting connections, lets every request already received
 * finish (their batches included), then resolves: the graceful stop SIGTERM/SIGINT trigger.
 *
 * @module
 */
import type { ResponseItem } from "../data/types.ts";
import { createBatchQueue } from "./batch_queue.ts";
import type { ServeConfig } from "./config.ts";
import type { GrmScorer, ResponseScore } from "./grm_scorer.ts";
import { createHandler } from "./handler.ts";
import { createMetrics } from "./metrics.ts";
import { registerServeMetrics } from "./serve_metrics.ts";

/** A server that is listening. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops accepting, finishes in-flight requests, then resolves. Safe to call twice. */
  shutdown(): Promise<void>;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  /** Shown by `GET /health`. */
  readonly name?: string;
  /** The device the judge runs on, shown by `GET /health`. */
  readonly device?: string;
  /** Unexpected errors (each also answered with a 500). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Starts serving `score` with `config`; resolves once the socket is bound. `score` must split a
 * job list whose responses exceed `config.maxBatch` into generation calls of `maxBatch` (as
 * {@link createGrmScorer} does): the batch-size metrics count calls that way.
 */
export function startServer(
  score: GrmScorer,
  config: ServeConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const registry = createMetrics();
  let draining = false;
  let inFlight = () => 0;
  let queued = () => 0;
  const metrics = registerServeMetrics(registry, {
    inFlight: () => inFlight(),
    queued: () => queued(),
  });
  const queue = createBatchQueue<ResponseItem[], ResponseScore[]>(async (jobs) => {
    const result = await score(jobs);
    const responses = jobs.reduce((n, job) => n + job.length, 0);
    for (let left = responses; left > 0; left -= config.maxBatch) {
      metrics.generationCalls.inc();
      metrics.batchResponses.observe(Math.min(left, config.maxBatch));
    }
    metrics.judgeCalls.inc({}, responses * config.votes);
    return result;
  }, { maxBatch: config.maxBatch, waitMs: config.batchWaitMs });
  queued = () => queue.queued;
  const handler = createHandler({
    config,
    score: (items) => queue.submit(items, items.length),
    registry,
    metrics,
    health: () => ({
      status: draining ? "draining" : "ok",
      model: options.name ?? "grm",
      ...(options.device === undefined ? {} : { device: options.device }),
      votes: config.votes,
      max_batch: config.maxBatch,
      design: config.design,
      margin: config.margin,
    }),
    onError: options.onError,
  });
  inFlight = handler.inFlight;
  // onListen given: Deno would otherwise print its own "Listening on" line to stdout
  const server = Deno.serve(
    { hostname: config.host, port: config.port, onListen: () => {} },
    (request) => handler.handle(request),
  );
  const { hostname, port } = server.addr as Deno.NetAddr;
  let stopping: Promise<void> | null = null;
  return Promise.resolve({
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`,
    port,
    finished: server.finished,
    shutdown() {
      stopping ??= (async () => {
        draining = true;
        await server.shutdown();
        await queue.idle();
      })();
      return stopping;
    },
  });
}
