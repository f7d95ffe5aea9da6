/**
 * Progress display for long runs: a one-line bar with rate and ETA on a terminal, plain periodic
 * lines otherwise (logs, CI). Pure formatting; the CLI decides where the text goes.
 *
 * @module
 */

/**
 * Formats seconds as `1h02m`, `3m05s` or `42s`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./progress.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([formatDuration(42.4), formatDuration(185), formatDuration(3725)], ["42s", "3m05s", "1h02m"]);
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * One progress line: `[####------] 40/100 1.25 step/s ETA 48s | reward 0.31 acc 0.62`.
 *
 * @example
 * ```ts
 * import { progressLine } from "./progress.ts";
 * import { assertEquals } from "@std/assert";
 * const line = progressLine({ done: 40, total: 100, elapsedSeconds: 32, width: 10, fields: { acc: 0.625 } });
 * assertEquals(line, "[####------] 40/100 1.25 step/s ETA 48s | acc 0.625");
 * ```
 */
export function progressLine(options: {
  done: number;
  total: number;
  elapsedSeconds: number;
  width?: number;
  /** Extra fields shown after the bar (numbers printed with 3 significant digits). */
  fields?: Record<string, number | string>;
  /** Steps already done before this process started (resume): excluded from the rate. */
  startedAt?: number;
}): string {
  const width = options.width ?? 24;
  const fraction = options.total > 0 ? Math.min(1, options.done / options.total) : 0;
  const filled = Math.round(fraction * width);
  const doneHere = options.done - (options.startedAt ?? 0);
  const rate = options.elapsedSeconds > 0 ? doneHere / options.elapsedSeconds : NaN;
  const eta = rate > 0 ? Math.max(0, options.total - options.done) / rate : NaN;
  const fields = Object.entries(options.fields ?? {})
    .map(([k, v]) => `${k} ${typeof v === "number" ? Number(v.toPrecision(3)) : v}`)
    .join(" ");
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${options.done}/${options.total} ` +
    `${Number.isFinite(rate) ? rate.toFixed(2) : "?"} step/s ETA ${formatDuration(eta)}` +
    (fields ? ` | ${fields}` : "");
}
