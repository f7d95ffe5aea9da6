/**
 * The margin delta a rollout must clear on the 0-10 score scale: fixed, or adaptive from the
 * annotated preference strength.
 *
 * @module
 */

/** A margin spec: `"adaptive"` (delta = strength - 2) or a fixed delta. */
export type MarginSpec = "adaptive" | number;

/** Largest preference strength |overall_preference| on HelpSteer3's -3..3 scale. */
export const MAX_STRENGTH: number = 3;

function checkStrength(strength: number, where: string): void {
  if (typeof strength !== "number" || !(strength >= 0 && strength <= MAX_STRENGTH)) {
    throw new RangeError(
      `${where}: strength must be a number in [0, ${MAX_STRENGTH}], got ${String(strength)}`,
    );
  }
}

/**
 * Adaptive margin: delta = p - 2 with p = |overall_preference| in [0, 3]. So 0 for "better"
 * (p = 2) and 1 for "much better" (p = 3); weaker preferences give a negative (lenient) margin,
 * -1 for p = 1 and -2 for p = 0 (the released recipe drops |p| < 2). RangeError outside [0, 3].
 *
 * @example
 * ```ts
 * import { adaptiveMargin } from "./margin.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals([adaptiveMargin(2), adaptiveMargin(3)], [0, 1]);
 * assertThrows(() => adaptiveMargin(-3), RangeError); // pass |p|, not the signed preference
 * ```
 */
export function adaptiveMargin(strength: number): number {
  checkStrength(strength, "adaptiveMargin");
  return strength - 2;
}

/**
 * Fixed margin: delta = value (0 in the released 14B/32B recipes). RangeError if not finite.
 *
 * @example
 * ```ts
 * import { fixedMargin } from "./margin.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(fixedMargin(0.5), 0.5);
 * ```
 */
export function fixedMargin(value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`fixedMargin: margin must be a finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * Resolves a {@link MarginSpec} for one pair: adaptiveMargin(strength) or fixedMargin(spec).
 * The strength is range-checked under either spec, so a bad record fails the same way whatever
 * the margin flag. TypeError for a spec that is neither `"adaptive"` nor a number.
 *
 * @example
 * ```ts
 * import { resolveMargin } from "./margin.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(resolveMargin("adaptive", 3), 1);
 * assertEquals(resolveMargin(0, 3), 0);
 * ```
 */
export function resolveMargin(spec: MarginSpec, strength: number): number {
  checkStrength(strength, "resolveMargin");
  if (spec === "adaptive") return adaptiveMargin(strength);
  if (typeof spec === "number") return fixedMargin(spec);
  throw new TypeError(
    `resolveMargin: margin must be "adaptive" or a number, got ${JSON.stringify(spec)}`,
  );
}
