import { assertEquals, assertMatch } from "@std/assert";
import { summarizePolicyGrid } from "../../policy/policy_grid.ts";
import { policyClaimCheck, type PolicyResults } from "./policy_results.ts";

function results(pairwiseQuality: readonly number[], pairwiseCalls: number): PolicyResults {
  const run = (judge: string, seed: number, quality: number, calls: number) => ({
    group: `${judge}-n4`,
    judge,
    n: 4,
    seed,
    outcome: {
      finished: true,
      step: 100,
      start: { quality: 3, exact_rate: 0.1, sampled_quality: 2 },
      final: { quality: 4, exact_rate: 0.5, sampled_quality: quality },
      callsPerStep: calls,
      judgeSecondsPerStep: calls / 100,
      policySecondsPerStep: 0.3,
      wallSeconds: 60,
      hackingStep: null,
    },
  });
  const runs = [
    ...[6, 6.5, 7].map((q, seed) => run("irpm", seed, q, 64)),
    ...pairwiseQuality.map((q, seed) => run("pairwise", seed, q, pairwiseCalls)),
  ];
  return {
    grid: "policy_rl",
    claim: "",
    rows: summarizePolicyGrid(runs),
    runs,
    curves: [],
    provenance: {},
  };
}

Deno.test("policyClaimCheck: reproduced when IRPM matches pairwise quality for less judging; not when pairwise is clearly better", () => {
  const same = policyClaimCheck(results([6.1, 6.4, 7.2], 192));
  assertEquals(same.verdict, "reproduced");
  assertMatch(same.parts[0], /sampled quality minus pairwise-trained: -0\.07 \(95% CI/);
  assertMatch(
    same.parts[1],
    /IRPM 64 calls \/ 0\.64 s vs pairwise 192 calls \/ 1\.92 s, cheaper: holds/,
  );
  // the start's sampled quality is 2 in every run: gains 4, 4.5, 5
  assertMatch(same.parts[2], /above the start's: \+4\.50 \(95% CI .*\), 95% CI above 0: holds/);
  // pairwise 2 points better on every seed: the quality part fails, cost and RL gain still hold
  const worse = policyClaimCheck(results([8, 8.5, 9], 192));
  assertEquals(worse.verdict, "partly reproduced");
  assertMatch(worse.parts[0], /does not hold/);
});
