import { assertEquals, assertThrows } from "@std/assert";
import { HttpError } from "./http_error.ts";
import { irpmRewardsReply } from "./irpm_rewards.ts";

const sample = await Deno.readTextFile(
  new URL("../data/samples/rollouts_sample.jsonl", import.meta.url),
);
const expected = await Deno.readTextFile(
  new URL("../data/samples/rollouts_sample_expected.jsonl", import.meta.url),
);
const options = { design: "median", margin: 0.5, alpha: 0.05 } as const;

Deno.test("irpm rewards: JSONL body = the hand-worked expected file, JSON body = the same lines", () => {
  // the CLI's defaults (mean, adaptive margin); tests/serve_test.ts compares with the CLI itself
  const defaults = { design: "mean", margin: "adaptive", alpha: 0.05 } as const;
  const jsonl = irpmRewardsReply({
    text: sample,
    contentType: "application/x-ndjson; charset=utf-8",
  }, defaults);
  assertEquals([jsonl.body, jsonl.contentType], [expected, "application/x-ndjson"]);
  const cli = {
    stdout: irpmRewardsReply({ text: sample, contentType: "application/jsonl" }, options).body,
  };
  const rollouts = sample.trim().split("\n").map((line) => JSON.parse(line));
  const json = irpmRewardsReply({
    text: JSON.stringify({ rollouts }),
    contentType: "application/json",
  }, options);
  assertEquals(
    JSON.parse(json.body).rewards,
    cli.stdout.trim().split("\n").map((l) => JSON.parse(l)),
  );
});

Deno.test("irpm rewards: ids are echoed first, strings and numbers alike", () => {
  const rollouts = sample.trim().split("\n").slice(0, 8).map((line, i) => ({
    id: i === 0 ? "first" : i,
    ...JSON.parse(line),
  }));
  const reply = JSON.parse(
    irpmRewardsReply({ text: JSON.stringify({ rollouts }), contentType: null }, options).body,
  );
  assertEquals(reply.rewards.map((r: { id: unknown }) => r.id), ["first", 1, 2, 3, 4, 5, 6, 7]);
  assertEquals(Object.keys(reply.rewards[0])[0], "id");
});

Deno.test("irpm rewards: bad bodies are 400s naming the field or the pair", () => {
  const cases: [string, string | null, string, string][] = [
    ["{", null, "bad_json", "body is not valid JSON"],
    ["[]", null, "bad_field", 'body: expected a JSON object {"rollouts": [...]}, got []'],
    ["{}", null, "bad_field", "rollouts: expected an array of rollouts, got nothing"],
    [
      '{"rollouts": [{"pair": "p", "side": "chosen", "strength": 2, "text": 5}]}',
      null,
      "bad_field",
      "rollouts[0].text: expected a string, got 5",
    ],
    ["{oops", "application/jsonl", "bad_json", "body:1: "],
    [
      '{"pair":"p","side":"chosen","strength":2,"text":"t","id":{}}',
      "application/jsonl",
      "bad_field",
      'body:1: field "id": expected a string or a number, got {}',
    ],
    [
      '{"pair":"p","side":"chosen","strength":2,"text":"t"}',
      "application/jsonl",
      "bad_field",
      'pair "p": no rejected rollouts (lines 1)',
    ],
  ];
  for (const [body, type, kind, message] of cases) {
    const error = assertThrows(
      () => irpmRewardsReply({ text: body, contentType: type }, options),
      HttpError,
    );
    assertEquals([error.status, error.kind], [400, kind], error.message);
    assertEquals(error.message.startsWith(message), true, error.message);
  }
});
