/**
 * A bounded load test: `requests` calls of `send`, at most `concurrency` at a time, timed one by
 * one. Used by `deno task serve:bench`; knows nothing about HTTP.
 *
 * @module
 */

/** What {@link runLoad} measured. */
export interface LoadResult {
  readonly requests: number;
  readonly concurrency: number;
  /** Wall time of the whole run, seconds. */
  readonly seconds: number;
  /** Successful requests per second. */
  readonly throughput: number;
  /** Median latency, ms. */
  readonly p50Ms: number;
  /** 99th-percentile latency, ms. */
  readonly p99Ms: number;
  /** Requests that failed (`send` returned false or threw). */
  readonly errors: number;
}

/**
 * The q-quantile of ascending `sorted` values, nearest rank: the smallest value with at least
 * q of the values at or below it. NaN for an empty list.
 *
 * @example
 * ```ts
 * import { percentile } from "./load_test.ts";
 * import { assertEquals } from "@std/assert";
 * const ms = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
 * assertEquals([percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 0)], [5, 10, 1]);
 * ```
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

/**
 * Runs `send(i)` for i = 0..requests-1 with `concurrency` workers; `send` resolves true on
 * success.
 *
 * @example
 * ```ts
 * import { runLoad } from "./load_test.ts";
 * import { assertEquals } from "@std/assert";
 * let active = 0, peak = 0;
 * const result = await runLoad(async (i) => {
 *   peak = Math.max(peak, ++active);
 *   await new Promise((r) => setTimeout(r, 1));
 *   active--;
 *   return i % 4 !== 0; // every 4th request fails
 * }, { requests: 12, concurrency: 3 });
 * assertEquals([result.errors, peak], [3, 3]);
 * ```
 */
export async function runLoad(
  send: (index: number) => Promise<boolean>,
  options: { requests: number; concurrency: number },
): Promise<LoadResult> {
  const { requests, concurrency } = options;
  const latencies: number[] = [];
  let next = 0, errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests) {
      const index = next++;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await send(index);
      } catch {
        ok = false;
      }
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests,
    concurrency,
    seconds,
    throughput: (requests - errors) / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errors,
  };
}
