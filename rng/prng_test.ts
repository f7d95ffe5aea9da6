import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { createPrng, prngFromState } from "./prng.ts";

Deno.test("createPrng: same seed gives the same stream, different seeds differ", () => {
  const a = createPrng(1), b = createPrng(1), c = createPrng(2);
  const xs = Array.from({ length: 5 }, () => a.next());
  assertEquals(xs, Array.from({ length: 5 }, () => b.next()));
  assert(xs.some((x, i) => x !== [c.next(), c.next(), c.next(), c.next(), c.next()][i]));
});

Deno.test("prng: uniform mean and normal moments within 4 standard errors (n = 20000)", () => {
  const rng = createPrng(123);
  const n = 20000;
  let sum = 0, sumN = 0, sumN2 = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    assert(u >= 0 && u < 1);
    sum += u;
    const z = rng.normal();
    sumN += z;
    sumN2 += z * z;
  }
  assertAlmostEquals(sum / n, 0.5, 4 * Math.sqrt(1 / 12 / n));
  assertAlmostEquals(sumN / n, 0, 4 / Math.sqrt(n));
  assertAlmostEquals(sumN2 / n, 1, 4 * Math.sqrt(2 / n));
});

Deno.test("prngFromState resumes exactly; bad state is rejected", () => {
  const a = createPrng(9);
  for (let i = 0; i < 10; i++) a.next();
  const b = prngFromState(a.state());
  assertEquals(a.int(1000), b.int(1000));
  assertThrows(() => prngFromState([0, 0, 0, 0]), RangeError);
  assertThrows(() => prngFromState([1, 2, 3]), RangeError, "four uint32");
  assertThrows(() => createPrng(1.5), TypeError, "1.5");
});
