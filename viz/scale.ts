/**
 * Axis arithmetic for the static renderer: "nice" tick steps (1, 2 or 5 times a power of ten, as
 * plotly picks them), tick lists, tick labels without float noise, and the linear data-to-pixel map.
 *
 * @module
 */

/**
 * The smallest step of the form m * 10^k (m in {1, 2, 5}) that is >= `rawStep`.
 *
 * @example
 * ```ts
 * import { niceStep } from "./scale.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(niceStep(0.186), 0.2); // 0.186 = 1.86 * 0.1 -> 2 * 0.1
 * assertEquals(niceStep(3), 5);
 * assertEquals(niceStep(7), 10);
 * ```
 */
export function niceStep(rawStep: number): number {
  if (!(rawStep > 0) || !Number.isFinite(rawStep)) {
    throw new RangeError(`niceStep: rawStep must be a positive finite number, got ${rawStep}`);
  }
  const power = Math.floor(Math.log10(rawStep));
  const magnitude = 10 ** power;
  const normalized = rawStep / magnitude;
  // The 1e-9 slack keeps an exact 2.0000000001 (float noise) from jumping to 5.
  const mantissa = normalized <= 1 + 1e-9
    ? 1
    : normalized <= 2 + 1e-9
    ? 2
    : normalized <= 5 + 1e-9
    ? 5
    : 10;
  return roundToStep(mantissa * magnitude, magnitude);
}

/** Number of decimals needed to print multiples of `step` exactly (0.2 -> 1, 0.05 -> 2, 5 -> 0). */
export function stepDecimals(step: number): number {
  let decimals = 0;
  while (
    decimals < 15 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6
  ) {
    decimals++;
  }
  return decimals;
}

function roundToStep(value: number, step: number): number {
  const decimals = stepDecimals(step);
  return Number(value.toFixed(decimals));
}

/**
 * Tick positions covering [min, max] with about `target` intervals: every multiple of
 * step = niceStep((max - min) / target) that lies inside the range.
 *
 * @example
 * ```ts
 * import { niceTicks } from "./scale.ts";
 * import { assertEquals } from "@std/assert";
 * // (0.93 - 0) / 5 = 0.186 -> step 0.2; multiples of 0.2 inside [0, 0.93]
 * assertEquals(niceTicks(0, 0.93, 5), { step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8] });
 * assertEquals(niceTicks(12, 12 + 4e-15).values.length, 2); // no endless count of tiny steps
 * ```
 */
export function niceTicks(
  min: number,
  max: number,
  target = 5,
): { step: number; values: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
    throw new RangeError(`niceTicks: need finite min < max, got [${min}, ${max}]`);
  }
  const step = niceStep((max - min) / Math.max(1, target));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  if (!Number.isSafeInteger(first) || last - first > 1000) {
    // a range so narrow against its values that its multiples cannot be counted: its two ends
    return { step: max - min, values: [min, max] };
  }
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(roundToStep(k * step, step) + 0); // + 0: no -0
  return { step, values };
}

/**
 * Tick label: the value printed with just the decimals its step needs, no trailing zeros or float
 * noise, and a true minus sign as plotly prints it.
 *
 * @example
 * ```ts
 * import { formatTick } from "./scale.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatTick(0.30000000000000004, 0.1), "0.3");
 * assertEquals(formatTick(-0.5, 0.5), "\u22120.5");
 * assertEquals(formatTick(2000, 500), "2000");
 * ```
 */
export function formatTick(value: number, step: number): string {
  const text = String(Number(value.toFixed(stepDecimals(step))) + 0);
  return text.startsWith("-") ? `\u2212${text.slice(1)}` : text;
}

/**
 * A free-standing value printed with 12 significant digits at most (no float noise) and a true
 * minus sign; for explicit tick values and text summaries.
 *
 * @example
 * ```ts
 * import { formatValue } from "./scale.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatValue(0.1 + 0.2), "0.3");
 * assertEquals(formatValue(-16), "\u221216");
 * ```
 */
export function formatValue(value: number): string {
  const text = String(Number(value.toPrecision(12)) + 0);
  return text.startsWith("-") ? `\u2212${text.slice(1)}` : text;
}

/**
 * The linear map from a data interval onto a pixel interval:
 * px(v) = r0 + (v - d0) * (r1 - r0) / (d1 - d0).
 *
 * @example
 * ```ts
 * import { linearScale } from "./scale.ts";
 * import { assertEquals } from "@std/assert";
 * const y = linearScale([0, 10], [400, 0]); // screen y grows downward
 * assertEquals([y(0), y(2.5), y(10)], [400, 300, 0]);
 * ```
 */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (!(d1 !== d0) || !Number.isFinite(d0) || !Number.isFinite(d1)) {
    throw new RangeError(
      `linearScale: domain must be two different finite numbers, got [${d0}, ${d1}]`,
    );
  }
  const slope = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * slope;
}

/**
 * Pads a data interval by `fraction` of its width on both sides (default 0.05, plotly's autorange
 * margin); a zero-width interval becomes [v - 1, v + 1] (or +/- 10% of |v|).
 *
 * @example
 * ```ts
 * import { padRange } from "./scale.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(padRange([0, 10]), [-0.5, 10.5]);
 * assertEquals(padRange([5, 5]), [4.5, 5.5]);
 * assertEquals(padRange([12, 12.000000000000002])[0], 10.8); // float noise: padded as flat
 * ```
 */
export function padRange(range: readonly [number, number], fraction = 0.05): [number, number] {
  const [min, max] = range;
  // float noise (12 and 12.000000000000002) is a flat line too: ticks could not step across it
  if (max - min <= Math.max(Math.abs(min), Math.abs(max)) * 1e-9) {
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - half, max + half];
  }
  const pad = (max - min) * fraction;
  return [min - pad, max + pad];
}
