import { assertEquals, assertThrows } from "@std/assert";
import { JUDGE_TAGS, judgeCompletion, judgeLength, judgePrompt } from "./judge_prompt.ts";

Deno.test("judgePrompt: pinned format for one user turn", () => {
  assertEquals(judgePrompt([{ role: "user", content: "37+48=" }], "85"), "Q:37+48=\nA:85\n");
  assertEquals(judgePrompt([{ role: "user", content: "rev kqmt" }], ""), "Q:rev kqmt\nA:\n");
  assertEquals(judgePrompt([{ role: "user", content: "a\nb" }], "c\nd"), "Q:a\nb\nA:c\nd\n");
});

Deno.test("judgePrompt: pinned format for multi-turn and non-user contexts", () => {
  assertEquals(
    judgePrompt([
      { role: "system", content: "Be brief." },
      { role: "user", content: "2+2?" },
      { role: "assistant", content: "4" },
      { role: "user", content: "3+3?" },
    ], "6"),
    "System: Be brief.\nUser: 2+2?\nAssistant: 4\nUser: 3+3?\nA:6\n",
  );
  assertEquals(judgePrompt([{ role: "assistant", content: "hi" }], "x"), "Assistant: hi\nA:x\n");
  assertEquals(judgePrompt([], "x"), "A:x\n");
});

Deno.test("judgeCompletion and judgeLength", () => {
  const out = judgeCompletion("85 vs 84: 1 err", 5);
  assertEquals(out, "<critique>85 vs 84: 1 err</critique><score>5</score>");
  // 4 tags + 15 critique chars + 1 score char = 20 symbols; 15 + 1 + 36 tag chars = 52 chars
  assertEquals([judgeLength(out), out.length], [20, 52]);
  assertEquals(judgeCompletion("", 7.5), "<critique></critique><score>7.5</score>");
  assertEquals(judgeLength("Q:37+48=\nA:84\n" + out), 34); // 14 + 20
  assertEquals(JUDGE_TAGS.join("").length, 36);
  assertThrows(() => judgeCompletion("x", 11), RangeError, "got 11");
  assertThrows(() => judgeCompletion("x", NaN), RangeError, "got NaN");
});
