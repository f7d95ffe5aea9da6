/**
 * Learning-rate schedule: linear warm-up, then cosine decay (the IRPM recipe: lr 5e-6, 50 warm-up
 * steps, cosine decay). Pure function of the step number.
 *
 * @module
 */

/** Options of {@link warmupCosineLr}. */
export interface WarmupCosineOptions {
  /** Learning rate at the end of warm-up. */
  readonly peakLr: number;
  /** Number of warm-up steps (0 = start at the peak). */
  readonly warmupSteps: number;
  /** Total number of optimizer steps; the cosine reaches its floor here. */
  readonly totalSteps: number;
  /** Floor as a fraction of peakLr (default 0, decay to zero). */
  readonly minLrRatio?: number;
}

function checkOptions(o: WarmupCosineOptions, ratio: number): void {
  if (!(o.peakLr > 0 && Number.isFinite(o.peakLr))) {
    throw new RangeError(`warmupCosineLr: peakLr must be a finite number > 0, got ${o.peakLr}`);
  }
  if (!Number.isInteger(o.warmupSteps) || o.warmupSteps < 0) {
    throw new RangeError(
      `warmupCosineLr: warmupSteps must be an integer >= 0, got ${o.warmupSteps}`,
    );
  }
  if (!Number.isInteger(o.totalSteps) || o.totalSteps <= o.warmupSteps) {
    throw new RangeError(
      `warmupCosineLr: totalSteps must be an integer > warmupSteps (${o.warmupSteps}), got ${o.totalSteps}`,
    );
  }
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new RangeError(`warmupCosineLr: minLrRatio must be in [0, 1], got ${ratio}`);
  }
}

/**
 * Learning rate for optimizer step s (0-based), with W = warmupSteps, N = totalSteps,
 * lr_min = peakLr * minLrRatio:
 *
 *   s < W:        lr = peakLr * (s + 1) / W
 *   W <= s < N:   lr = lr_min + (peakLr - lr_min) * 0.5 * (1 + cos(pi * (s - W) / (N - W)))
 *   s >= N:       lr = lr_min
 *
 * The warm-up counts from 1, so the first step already learns and step W - 1 reaches the peak
 * (HF's `get_cosine_schedule_with_warmup`, which veRL uses, gives lr 0 at step 0, a wasted step,
 * and reaches the peak at step W; from step W on the two agree).
 *
 * @example
 * ```ts
 * import { warmupCosineLr } from "./schedule.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const o = { peakLr: 1, warmupSteps: 4, totalSteps: 12 };
 * assertAlmostEquals(warmupCosineLr(0, o), 0.25, 1e-12); // (0 + 1) / 4
 * assertAlmostEquals(warmupCosineLr(8, o), 0.5, 1e-12); // halfway through the cosine
 * ```
 */
export function warmupCosineLr(step: number, options: WarmupCosineOptions): number {
  const ratio = options.minLrRatio ?? 0;
  checkOptions(options, ratio);
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`warmupCosineLr: step must be an integer >= 0, got ${step}`);
  }
  const { peakLr, warmupSteps, totalSteps } = options;
  if (step < warmupSteps) return (peakLr * (step + 1)) / warmupSteps;
  const minLr = peakLr * ratio;
  const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
  return minLr + (peakLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
