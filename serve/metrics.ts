/**
 * A small Prometheus registry for `GET /metrics` (text exposition format 0.0.4): counters,
 * histograms and gauges with labels, rendered in registration order. No global state: the server
 * creates one registry and passes it down.
 *
 * @module
 */

/** Label name -> value. */
export type Labels = Readonly<Record<string, string>>;

/** A monotonically increasing count. */
export interface Counter {
  /** Adds `by` (default 1) to the series of `labels`. */
  inc(labels?: Labels, by?: number): void;
}

/** Observations counted into cumulative buckets, with their sum and count. */
export interface Histogram {
  /** Records one value in the series of `labels`. */
  observe(value: number, labels?: Labels): void;
}

/** A registry of metrics and their text rendering. */
export interface Metrics {
  /** Registers a counter. */
  counter(name: string, help: string): Counter;
  /** Registers a histogram with upper bounds `buckets` (ascending; `+Inf` is added). */
  histogram(name: string, help: string, buckets: readonly number[]): Histogram;
  /** Registers a gauge read at render time. */
  gauge(name: string, help: string, read: () => number): void;
  /** The exposition text. */
  render(): string;
}

const escapeLabel = (value: string) =>
  value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/**
 * `{a="x",b="y"}` in key order, or "" without labels.
 *
 * @example
 * ```ts
 * import { formatLabels } from "./metrics.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatLabels({ status: "400", path: "/get_reward" }), '{path="/get_reward",status="400"}');
 * assertEquals(formatLabels({}), "");
 * ```
 */
export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k])}"`).join(",")}}`;
}

/**
 * Creates an empty registry.
 *
 * @example
 * ```ts
 * import { createMetrics } from "./metrics.ts";
 * import { assertStringIncludes } from "@std/assert";
 * const metrics = createMetrics();
 * const requests = metrics.counter("app_requests_total", "Requests.");
 * requests.inc({ status: "200" });
 * requests.inc({ status: "200" });
 * metrics.histogram("app_batch_size", "Batch sizes.", [1, 4]).observe(3);
 * const text = metrics.render();
 * assertStringIncludes(text, '# TYPE app_requests_total counter\napp_requests_total{status="200"} 2\n');
 * assertStringIncludes(text, 'app_batch_size_bucket{le="1"} 0\napp_batch_size_bucket{le="4"} 1\n');
 * assertStringIncludes(text, "app_batch_size_sum 3\napp_batch_size_count 1\n");
 * ```
 */
export function createMetrics(): Metrics {
  const renderers: (() => string)[] = [];
  const header = (name: string, help: string, type: string) =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
  return {
    counter(name, help) {
      const series = new Map<string, number>();
      renderers.push(() =>
        header(name, help, "counter") +
        [...series].map(([labels, value]) => `${name}${labels} ${value}\n`).join("")
      );
      return {
        inc(labels = {}, by = 1) {
          const key = formatLabels(labels);
          series.set(key, (series.get(key) ?? 0) + by);
        },
      };
    },
    histogram(name, help, buckets) {
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number }>();
      renderers.push(() => {
        let text = header(name, help, "histogram");
        for (const { labels, counts, sum } of series.values()) {
          let cumulative = 0;
          [...buckets, Infinity].forEach((bound, i) => {
            cumulative += counts[i];
            const le = bound === Infinity ? "+Inf" : String(bound);
            text += `${name}_bucket${formatLabels({ ...labels, le })} ${cumulative}\n`;
          });
          text += `${name}_sum${formatLabels(labels)} ${sum}\n`;
          text += `${name}_count${formatLabels(labels)} ${cumulative}\n`;
        }
        return text;
      });
      return {
        observe(value, labels = {}) {
          const key = formatLabels(labels);
          let entry = series.get(key);
          if (!entry) {
            entry = { labels, counts: new Array(buckets.length + 1).fill(0), sum: 0 };
            series.set(key, entry);
          }
          const index = buckets.findIndex((bound) => value <= bound);
          entry.counts[index === -1 ? buckets.length : index]++;
          entry.sum += value;
        },
      };
    },
    gauge(name, help, read) {
      renderers.push(() => header(name, help, "gauge") + `${name} ${read()}\n`);
    },
    render: () => renderers.map((render) => render()).join(""),
  };
}
