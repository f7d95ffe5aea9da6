/**
 * The server's metrics, registered once in a {@link Metrics} registry:
 *
 * | name | type | what |
 * |---|---|---|
 * | `irpm_serve_requests_total{path,status}` | counter | answered requests |
 * | `irpm_serve_errors_total{kind}` | counter | refused or failed requests, by `ErrorKind` |
 * | `irpm_serve_request_seconds{path}` | histogram | latency, body read to reply |
 * | `irpm_serve_batch_responses` | histogram | responses per generation call |
 * | `irpm_serve_generation_calls_total` | counter | generation calls |
 * | `irpm_serve_judge_calls_total` | counter | judgments generated (responses x votes) |
 * | `irpm_serve_parse_failures_total` | counter | responses whose judgment did not parse |
 * | `irpm_serve_in_flight_requests` | gauge | requests being handled |
 * | `irpm_serve_queued_responses` | gauge | responses waiting for a generation call |
 *
 * @module
 */
import type { Counter, Histogram, Metrics } from "./metrics.ts";

/** The instruments the handler and the scorer update. */
export interface ServeMetrics {
  readonly requests: Counter;
  readonly errors: Counter;
  readonly latency: Histogram;
  readonly batchResponses: Histogram;
  readonly generationCalls: Counter;
  readonly judgeCalls: Counter;
  readonly parseFailures: Counter;
}

/** Latency buckets in seconds: a few ms (health) to tens of seconds (a big voting batch). */
export const LATENCY_BUCKETS: readonly number[] = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
];

/** Batch-size buckets: powers of two up to the largest sensible --max-batch. */
export const BATCH_BUCKETS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * Registers the server's metrics; `gauges` are read when `/metrics` is rendered.
 *
 * @example
 * ```ts
 * import { createMetrics } from "./metrics.ts";
 * import { registerServeMetrics } from "./serve_metrics.ts";
 * import { assertStringIncludes } from "@std/assert";
 * const registry = createMetrics();
 * const m = registerServeMetrics(registry, { inFlight: () => 2, queued: () => 0 });
 * m.errors.inc({ kind: "not_found" });
 * assertStringIncludes(registry.render(), 'irpm_serve_errors_total{kind="not_found"} 1');
 * assertStringIncludes(registry.render(), "irpm_serve_in_flight_requests 2");
 * ```
 */
export function registerServeMetrics(
  registry: Metrics,
  gauges: { inFlight: () => number; queued: () => number },
): ServeMetrics {
  const metrics = {
    requests: registry.counter(
      "irpm_serve_requests_total",
      "Answered requests by path and status.",
    ),
    errors: registry.counter("irpm_serve_errors_total", "Refused or failed requests by kind."),
    latency: registry.histogram(
      "irpm_serve_request_seconds",
      "Request latency in seconds by path.",
      LATENCY_BUCKETS,
    ),
    batchResponses: registry.histogram(
      "irpm_serve_batch_responses",
      "Responses per generation call.",
      BATCH_BUCKETS,
    ),
    generationCalls: registry.counter("irpm_serve_generation_calls_total", "Generation calls."),
    judgeCalls: registry.counter(
      "irpm_serve_judge_calls_total",
      "GRM judgments generated (responses x votes).",
    ),
    parseFailures: registry.counter(
      "irpm_serve_parse_failures_total",
      "Responses whose GRM judgment did not parse (given the stated invalid reward).",
    ),
  };
  registry.gauge("irpm_serve_in_flight_requests", "Requests being handled.", gauges.inFlight);
  registry.gauge(
    "irpm_serve_queued_responses",
    "Responses waiting for a generation call.",
    gauges.queued,
  );
  return metrics;
}
