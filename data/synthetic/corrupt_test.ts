import { assert, assertEquals, assertThrows } from "@std/assert";
import { createPrng } from "../../rng/prng.ts";
import { corruptAnswer, corruptTask } from "./corrupt.ts";

const DIGITS = "0123456789";

Deno.test("corruptAnswer: k = 0 is the identity; every single edit changes the text", () => {
  const rng = createPrng(1);
  assertEquals(corruptAnswer("1235", { edits: 0, rng, alphabet: DIGITS, maxLength: 6 }), "1235");
  for (let t = 0; t < 500; t++) {
    const answer = ["7", "85", "1235", "113489", "0000"][t % 5];
    const out = corruptAnswer(answer, {
      edits: 1,
      rng,
      alphabet: DIGITS,
      maxLength: answer.length + 2,
    });
    assert(out !== answer, `${answer} -> ${out}`);
  }
});

Deno.test("corruptAnswer: lengths stay in [1, maxLength], characters in the alphabet, all edit kinds occur", () => {
  const rng = createPrng(2);
  const lengths = new Set<number>();
  for (let t = 0; t < 2000; t++) {
    const k = t % 7;
    const out = corruptAnswer("abcd", { edits: k, rng, alphabet: "abcdefgh", maxLength: 6 });
    assert(out.length >= 1 && out.length <= 6, out);
    assert(/^[a-h]+$/.test(out), out);
    if (k === 1) lengths.add(out.length - 4);
  }
  // one edit: drop (-1), substitute or swap (0), insert (+1)
  assertEquals([...lengths].sort(), [-1, 0, 1]);
  const short = corruptAnswer("7", {
    edits: 5,
    rng: createPrng(3),
    alphabet: DIGITS,
    maxLength: 1,
  });
  assertEquals(short.length, 1);
});

Deno.test("corruptAnswer: same seed, same output; bad arguments rejected", () => {
  const options = { alphabet: DIGITS, maxLength: 8 };
  assertEquals(
    corruptAnswer("113489", { edits: 4, rng: createPrng(9), ...options }),
    corruptAnswer("113489", { edits: 4, rng: createPrng(9), ...options }),
  );
  assertThrows(
    () => corruptAnswer("", { edits: 1, rng: createPrng(0), ...options }),
    RangeError,
    "empty",
  );
  assertThrows(
    () => corruptAnswer("12", { edits: -1, rng: createPrng(0), ...options }),
    RangeError,
    "got -1",
  );
  assertThrows(
    () => corruptAnswer("12", { edits: 1, rng: createPrng(0), alphabet: "1", maxLength: 3 }),
    RangeError,
  );
  assertThrows(
    () =>
      corruptTask({ domain: "copy", prompt: "x", answer: "x" }, { edits: 1, rng: createPrng(0) }),
    RangeError,
    '"copy"',
  );
});
