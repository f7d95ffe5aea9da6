/**
 * The reward designs by name: the one place a string picks a variant.
 *
 * @module
 */
import { intervalReward } from "./reward_interval.ts";
import { meanReward } from "./reward_mean.ts";
import { medianReward } from "./reward_median.ts";
import { preferenceReward } from "./reward_preference.ts";
import { preferenceCappedReward, preferenceVarianceReward } from "./reward_preference_fixes.ts";
import { winrateReward } from "./reward_winrate.ts";
import type { RewardDesign } from "./types.ts";

/** Name of a reward design. */
export type DesignName =
  | "mean"
  | "median"
  | "interval"
  | "preference"
  | "winrate"
  | "preference-capped"
  | "preference-var";

/** The paper's five designs (the other names are the kit's fixes of `preference`'s collapse). */
export const PAPER_DESIGNS: readonly DesignName[] = Object.freeze([
  "mean",
  "median",
  "interval",
  "preference",
  "winrate",
]);

/**
 * Every reward design, keyed by its short name: the paper's five ({@link PAPER_DESIGNS}; `mean`
 * is the released recipe) and two fixes of the preference design's collapse
 * (irpm/reward_preference_fixes.ts).
 *
 * @example
 * ```ts
 * import { rewardDesigns } from "./designs.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(rewardDesigns.mean({ chosen: [7], rejected: [5] }, { margin: 0 }), { chosen: [1], rejected: [1] });
 * ```
 */
export const rewardDesigns: Readonly<Record<DesignName, RewardDesign>> = Object.freeze({
  mean: meanReward,
  median: medianReward,
  interval: intervalReward,
  preference: preferenceReward,
  winrate: winrateReward,
  "preference-capped": preferenceCappedReward,
  "preference-var": preferenceVarianceReward,
});

/** The valid design names, in the order of {@link rewardDesigns}. */
export const designNames: readonly DesignName[] = Object.freeze(
  Object.keys(rewardDesigns) as DesignName[],
);

/**
 * Type guard: is `name` one of {@link designNames}?
 *
 * @example
 * ```ts
 * import { isDesignName } from "./designs.ts";
 * import { assert } from "@std/assert";
 * assert(isDesignName("winrate") && !isDesignName("toString"));
 * ```
 */
export function isDesignName(name: unknown): name is DesignName {
  return typeof name === "string" && Object.hasOwn(rewardDesigns, name);
}

/**
 * Looks a design up by name; throws TypeError quoting the bad value and listing the valid names.
 *
 * @example
 * ```ts
 * import { designByName } from "./designs.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(designByName("median").name, "medianReward");
 * assertThrows(() => designByName("avg"), TypeError, 'unknown reward design "avg"');
 * ```
 */
export function designByName(name: string): RewardDesign {
  if (!isDesignName(name)) {
    throw new TypeError(
      `unknown reward design ${JSON.stringify(name)}; valid: ${designNames.join(", ")}`,
    );
  }
  return rewardDesigns[name];
}
