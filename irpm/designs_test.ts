import { preferenceCappedReward, preferenceVarianceReward } from "./reward_preference_fixes.ts";
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  designByName,
  designNames,
  isDesignName,
  PAPER_DESIGNS,
  rewardDesigns,
} from "./designs.ts";
import { intervalReward } from "./reward_interval.ts";
import { meanReward } from "./reward_mean.ts";
import { medianReward } from "./reward_median.ts";
import { preferenceReward } from "./reward_preference.ts";
import { winrateReward } from "./reward_winrate.ts";

Deno.test("designByName maps every name to its function", () => {
  assertEquals(designNames, [
    "mean",
    "median",
    "interval",
    "preference",
    "winrate",
    "preference-capped",
    "preference-var",
  ]);
  assertEquals(PAPER_DESIGNS, designNames.slice(0, 5));
  assertStrictEquals(designByName("preference-capped"), preferenceCappedReward);
  assertStrictEquals(designByName("preference-var"), preferenceVarianceReward);
  assertStrictEquals(designByName("mean"), meanReward);
  assertStrictEquals(designByName("median"), medianReward);
  assertStrictEquals(designByName("interval"), intervalReward);
  assertStrictEquals(designByName("preference"), preferenceReward);
  assertStrictEquals(designByName("winrate"), winrateReward);
  assertStrictEquals(rewardDesigns.winrate, winrateReward);
});

Deno.test("designByName rejects unknown names, inherited keys included, listing the valid ones", () => {
  for (const bad of ["avg", "Mean", "", "toString", "__proto__", "constructor"]) {
    assertThrows(
      () => designByName(bad),
      TypeError,
      `unknown reward design ${
        JSON.stringify(bad)
      }; valid: mean, median, interval, preference, winrate`,
    );
    assertEquals(isDesignName(bad), false);
  }
  assertEquals(isDesignName(3), false);
  assertThrows(() => designByName(undefined as unknown as string), TypeError, "undefined");
});
