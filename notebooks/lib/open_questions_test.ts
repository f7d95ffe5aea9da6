import { assertAlmostEquals, assertEquals } from "@std/assert";
import { loadAblationResults, pairedMetric, RESULTS_DIR } from "./ablation_results.ts";
import { weakPairsRows } from "./open_questions.ts";

Deno.test("weak-pairs rows pair a grid's cells with the shipped recipe cell by seed", async () => {
  const shipped = (await loadAblationResults(new URL("weak_preferences/", RESULTS_DIR)))!;
  // the shipped min-strength-1 cell stands in for a "use the weak pairs" grid
  const use = { ...shipped, rows: shipped.rows.filter((r) => r.group === "min-strength-1") };
  const rows = weakPairsRows({ use, recipe: shipped });
  assertEquals(rows.map((r) => r.setting), ["recipe (|p| >= 2)", "weak-pair-weight 1"]);
  assertEquals(rows.map((r) => r.seeds), [3, 3]);
  const direct = pairedMetric(shipped, {
    metric: "weakAccuracy",
    a: "min-strength-2",
    b: "min-strength-1",
  });
  assertAlmostEquals(rows[1].weakVsRecipe!.mean!, direct.mean!, 1e-12);
  assertEquals(rows[1].weakVsRecipe!.verdict, direct.verdict);
  const recipe = shipped.rows.find((r) => r.group === "min-strength-2")!;
  assertAlmostEquals(rows[0].strongAccuracy.mean!, recipe.metrics.strongAccuracy.mean!, 1e-12);
});
