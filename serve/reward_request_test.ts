import { assertEquals, assertThrows } from "@std/assert";
import { HttpError } from "./http_error.ts";
import { parseRewardRequest } from "./reward_request.ts";
import { promptTurns, splitQuery } from "./query_split.ts";

Deno.test("get_reward body: prompts given -> response = query[len(prompt):], end tokens stripped", () => {
  const prompt = "<|im_start|>user\nsort 31<|im_end|>\n<|im_start|>assistant\n";
  assertEquals(
    parseRewardRequest({ query: [prompt + "13<|im_end|>\n<|endoftext|>"], prompts: [prompt] }),
    [
      { context: [{ role: "user", content: "sort 31" }], response: "13" },
    ],
  );
  // the kit's own layout: the prompt is one user turn, the judge prompt reads "Q:<prompt>"
  assertEquals(parseRewardRequest({ query: ["12+3=15"], prompts: ["12+3="], labels: null }), [
    { context: [{ role: "user", content: "12+3=" }], response: "15" },
  ]);
});

Deno.test("get_reward body: no prompts -> split at the last assistant header (ChatML, Llama 3)", () => {
  const llama =
    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe terse.<|eot_id|>" +
    "<|start_header_id|>user<|end_header_id|>\n\n2+2?<|eot_id|>" +
    "<|start_header_id|>assistant<|end_header_id|>\n\n4<|eot_id|>";
  assertEquals(parseRewardRequest({ query: [llama] }), [{
    context: [{ role: "system", content: "Be terse." }, { role: "user", content: "2+2?" }],
    response: "4",
  }]);
  const multi = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nyo<|im_end|>\n" +
    "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4";
  const split = splitQuery(multi)!;
  assertEquals(split.response, "4");
  assertEquals(promptTurns(split.prompt), [
    { role: "user", content: "hi" },
    { role: "assistant", content: "yo" },
    { role: "user", content: "2+2?" },
  ]);
});

Deno.test("get_reward body: every bad field is a 400 naming it", () => {
  const cases: [unknown, string, string][] = [
    [[1], "body", "body: expected a JSON object, got [1]"],
    [{}, "query", "query: expected an array of strings, got nothing"],
    [{ query: [null] }, "query[0]", "query[0]: expected a string, got null"],
    [{ query: ["a"], prompts: "a" }, "prompts", 'prompts: expected an array of strings, got "a"'],
    [{ query: ["a"], prompts: [3] }, "prompts[0]", "prompts[0]: expected a string, got 3"],
    [{ query: ["a", "b"], prompts: ["a"] }, "prompts", "prompts: has 1 entries for 2 queries"],
    [{ query: ["a"], prompts: ["b"] }, "prompts[0]", "prompts[0]: is not the start of query[0]"],
    [{ query: ["a"], labels: "x" }, "labels", 'labels: expected an array or null, got "x"'],
    [{ query: ["plain"] }, "query[0]", "query[0]: has no assistant turn header"],
  ];
  for (const [body, field, message] of cases) {
    const error = assertThrows(() => parseRewardRequest(body), HttpError);
    assertEquals([error.status, error.field], [400, field]);
    assertEquals(error.message.startsWith(message), true, error.message);
  }
});
