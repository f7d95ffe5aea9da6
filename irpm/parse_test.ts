import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { parseJudgment } from "./parse.ts";

const ok = (critique: string, score: number) => ({ valid: true, critique, score });

Deno.test("parseJudgment: valid outputs, text around them, newlines, whitespace, empty critique", () => {
  assertEquals(parseJudgment("<critique>Good.</critique><score>7</score>"), ok("Good.", 7));
  assertEquals(
    parseJudgment(
      "Thinking first.\n<critique>\n  Line one.\n  Line two.\n</critique>\n<score> 8.5 </score>\nDone.",
    ),
    ok("Line one.\n  Line two.", 8.5),
  );
  assertEquals(parseJudgment("<critique></critique><score>5</score>"), ok("", 5));
  assertEquals(parseJudgment("<critique>x</critique>\n\n<score>\n7.25\n</score>"), ok("x", 7.25));
  // Both ends of [0, 10] are valid; leading zeros parse as decimals.
  assertEquals(parseJudgment("<critique>a</critique><score>0</score>").score, 0);
  assertEquals(parseJudgment("<critique>a</critique><score>10</score>").score, 10);
  assertEquals(parseJudgment("<critique>a</critique><score>10.0</score>").score, 10);
  assertEquals(parseJudgment("<critique>a</critique><score>007</score>").score, 7);
});

Deno.test("parseJudgment: out-of-range scores are invalid with a reason, never a silent 0", () => {
  const high = parseJudgment("<critique>Great.</critique><score>10.5</score>");
  assertEquals(high.valid, false);
  assertEquals(high.score, null);
  if (!high.valid) {
    assertEquals(high.reason, "score_out_of_range");
    assertStringIncludes(high.detail, "10.5");
  }
  assertEquals(parseJudgment("<critique>x</critique><score>11</score>").valid, false);
});

Deno.test("parseJudgment: the score is unsigned, so -3 and other shapes are no_match", () => {
  // `\d+(?:\.\d+)?` cannot start at '-' or '+', and nothing else in the text matches: the
  // released parser also returns "no match" (-1.0) here, not an out-of-range score.
  // "\u0663" (Arabic-Indic 3): Python's `\d` would take it, JavaScript's does not (stated in parse.ts).
  for (const score of ["-3", "+3", ".5", "7.", "1e1", "seven", "", "7/10", "\u0663"]) {
    const judgment = parseJudgment(`<critique>x</critique><score>${score}</score>`);
    assertEquals(judgment.valid, false, `score ${JSON.stringify(score)}`);
    if (!judgment.valid) assertEquals(judgment.reason, "no_match");
  }
});

Deno.test("parseJudgment: missing or misordered tags are no_match", () => {
  const bad = [
    "The answer is fine. Score: 7",
    "<critique>x</critique>",
    "<score>7</score>",
    "<critique>x<score>7</score>",
    "<critique>x</critique><score>7",
    "<score>7</score><critique>x</critique>",
    "<critique>x</critique> and then <score>7</score>", // only whitespace may sit between
    "<Critique>x</Critique><Score>7</Score>", // tags are case-sensitive
    "",
  ];
  for (const text of bad) {
    const judgment = parseJudgment(text);
    assertEquals(judgment, {
      valid: false,
      reason: "no_match",
      detail: "no <critique>...</critique><score>N</score> block with an unsigned decimal score",
      score: null,
    }, text);
  }
});

Deno.test("parseJudgment: with several blocks the leftmost <critique> wins (released semantics)", () => {
  assertEquals(
    parseJudgment("<critique>a</critique><score>3</score> <critique>b</critique><score>9</score>"),
    ok("a", 3),
  );
  // A broken first score: the lazy critique stretches to the next well-formed block.
  assertEquals(
    parseJudgment("<critique>a</critique><score>x</score><critique>b</critique><score>5</score>"),
    ok("a</critique><score>x</score><critique>b", 5),
  );
});

Deno.test("parseJudgment: non-string input is a TypeError", () => {
  for (const value of [5, null, undefined, { text: "x" }]) {
    assertThrows(() => parseJudgment(value as unknown as string), TypeError, "must be a string");
  }
});
