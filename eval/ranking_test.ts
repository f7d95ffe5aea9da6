import { assertEquals, assertThrows } from "@std/assert";
import {
  JUDGE_CALLS,
  pairwiseCalls,
  pickBest,
  pointwiseCalls,
  rankingRegret,
  roundRobinWinner,
  scalarCalls,
} from "./ranking.ts";
import { createPrng } from "../rng/prng.ts";

Deno.test("pickBest: argmax over valid scores, first index without a PRNG", () => {
  assertEquals(pickBest([3, 8, null, 8, 1]), { index: 1, tied: [1, 3] });
  assertEquals(pickBest([null, 0]), { index: 1, tied: [1] }); // 0 is a valid score
  assertEquals(pickBest([-2, -1]), { index: 1, tied: [1] });
  assertEquals(pickBest([]), { index: null, tied: [] });
});

Deno.test("pickBest: seeded tie-break is reproducible and uniform over the tied indices", () => {
  const scores = [5, 9, 9, 2, 9];
  assertEquals(
    pickBest(scores, { prng: createPrng(3) }).index,
    pickBest(scores, { prng: createPrng(3) }).index,
  );
  const prng = createPrng(11);
  const counts = new Map<number, number>();
  const draws = 3000;
  for (let t = 0; t < draws; t++) {
    const { index } = pickBest(scores, { prng });
    counts.set(index!, (counts.get(index!) ?? 0) + 1);
  }
  assertEquals([...counts.keys()].sort(), [1, 2, 4]);
  // each share 1/3; sd = sqrt(1/3 * 2/3 / 3000) = 0.0086; tolerance 0.04 is > 4 sd
  for (const c of counts.values()) assertEquals(Math.abs(c / draws - 1 / 3) < 0.04, true);
});

Deno.test("roundRobinWinner: a first-position-biased judge ties everything when orders swap", () => {
  const alwaysFirst = () => 1;
  const both = roundRobinWinner(4, alwaysFirst);
  // each pair: i gets 1 (forward) + 0 (backward), j gets 0 + 1 -> draw; 3 draws x 0.5 each
  assertEquals(both.copeland, [1.5, 1.5, 1.5, 1.5]);
  assertEquals(both.points, [3, 3, 3, 3]);
  assertEquals([both.winner, both.tied, both.calls], [0, [0, 1, 2, 3], 12]);
  // one order only: the lower index always wins -> Copeland 3 2 1 0
  const one = roundRobinWinner(4, alwaysFirst, { bothOrders: false });
  assertEquals([one.copeland, one.winner, one.calls], [[3, 2, 1, 0], 0, 6]);
});

Deno.test("roundRobinWinner: Condorcet cycle, nulls and a seeded tie-break", () => {
  // 0 beats 1, 1 beats 2, 2 beats 0 (in both orders); 3 loses to all
  const wins = new Set(["0>1", "1>2", "2>0", "0>3", "1>3", "2>3"]);
  const beats = (i: number, j: number) => (wins.has(`${i}>${j}`) ? 1 : 0);
  const r = roundRobinWinner(4, beats);
  assertEquals([r.copeland, r.tied], [[2, 2, 2, 0], [0, 1, 2]]);
  const a = roundRobinWinner(4, beats, { prng: createPrng(5) }).winner;
  assertEquals([0, 1, 2].includes(a), true);
  assertEquals(roundRobinWinner(4, beats, { prng: createPrng(5) }).winner, a);
  // null verdicts give no credit: pair (0, 1) unjudged is a 0-0 draw
  const partial = roundRobinWinner(2, () => null);
  assertEquals([partial.copeland, partial.points], [[0.5, 0.5], [0, 0]]);
});

Deno.test("roundRobinWinner: calls match pairwiseCalls; one candidate needs none", () => {
  for (const n of [1, 2, 5, 8]) {
    assertEquals(roundRobinWinner(n, () => 0.5).calls, pairwiseCalls(n));
    assertEquals(
      roundRobinWinner(n, () => 0.5, { bothOrders: false }).calls,
      pairwiseCalls(n, {
        bothOrders: false,
      }),
    );
  }
  assertEquals(roundRobinWinner(1, () => 1).winner, 0);
});

Deno.test("rankingRegret: oracle best minus picked", () => {
  assertEquals(rankingRegret(3, [1, 3, 7]), 4);
  assertEquals(rankingRegret(7, [1, 3, 7]), 0);
  // pick from scores, regret from hidden qualities
  const quality = [0.2, 0.9, 0.6];
  const { index } = pickBest([5, 6, 8]);
  assertEquals(rankingRegret(quality[index!], quality), 0.9 - 0.6);
});

Deno.test("judge call counts: n k, n (n - 1) / 2 x 2, n", () => {
  assertEquals(pointwiseCalls(10, 8), 80);
  assertEquals(pointwiseCalls(10), 10);
  assertEquals(pairwiseCalls(10), 90); // 45 pairs x 2 orders
  assertEquals(pairwiseCalls(10, { k: 4 }), 360);
  assertEquals(pairwiseCalls(1), 0);
  assertEquals(scalarCalls(10), 10);
  assertEquals(JUDGE_CALLS.pointwise(4, 2), 8);
  assertEquals(JUDGE_CALLS.pairwise(4, 2), 24); // 6 pairs x 2 orders x 2 samples
});

Deno.test("ranking: bad input", () => {
  assertThrows(() => pickBest([1, NaN]), TypeError, "scores[1]");
  assertThrows(() => roundRobinWinner(0, () => 1), RangeError, "got 0");
  assertThrows(() => roundRobinWinner(2, () => 2), RangeError, "beats(0, 1)");
  assertThrows(() => rankingRegret(1, []), RangeError, "empty");
  assertThrows(() => rankingRegret(NaN, [1]), RangeError, "pickedQuality");
  assertThrows(() => rankingRegret(1, [0, Infinity]), RangeError, "qualities[1]");
  assertThrows(() => rankingRegret(5, [1, 2]), RangeError, "exceeds");
  assertThrows(() => pointwiseCalls(3, 0), RangeError, "k must be");
  assertThrows(() => pairwiseCalls(-1), RangeError, "n must be");
  assertThrows(() => scalarCalls(2.5), RangeError, "2.5");
});
