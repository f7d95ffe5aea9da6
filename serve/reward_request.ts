/**
 * The body of `POST /get_reward`, OpenRLHF's remote reward-model protocol:
 * `{"query": [full texts], "prompts": [prompts], "labels": [...]}`. `prompts` and `labels` may be
 * absent or null; `labels` is accepted for the protocol's sake and not used (a GRM judges without
 * a reference answer). Every problem is a 400 naming the field (`query`, `prompts[2]`, ...).
 *
 * @module
 */
import type { ResponseItem } from "../data/types.ts";
import { describeValue } from "../data/fields.ts";
import { badField } from "./http_error.ts";
import { promptTurns, splitQuery, stripSpecial } from "./query_split.ts";

/**
 * The responses to judge, one per query, in order. Throws a 400 {@link HttpError} naming the
 * first bad field.
 *
 * @example
 * ```ts
 * import { parseRewardRequest } from "./reward_request.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseRewardRequest({ query: ["sort 31 13"], prompts: ["sort 31 "] }),
 *   [{ context: [{ role: "user", content: "sort 31 " }], response: "13" }]);
 * assertThrows(() => parseRewardRequest({ query: "x" }), Error, 'query: expected an array of strings, got "x"');
 * assertThrows(() => parseRewardRequest({ query: ["ab"], prompts: ["x"] }), Error, "prompts[0]: is not the start of query[0]");
 * ```
 */
export function parseRewardRequest(body: unknown): ResponseItem[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badField("body", `expected a JSON object, got ${describeValue(body)}`);
  }
  const { query, prompts, labels } = body as Record<string, unknown>;
  const strings = (name: string, value: unknown): string[] => {
    if (!Array.isArray(value)) {
      const got = value === undefined ? "nothing" : describeValue(value);
      throw badField(name, `expected an array of strings, got ${got}`);
    }
    value.forEach((v, i) => {
      if (typeof v !== "string") {
        throw badField(`${name}[${i}]`, `expected a string, got ${describeValue(v)}`);
      }
    });
    return value as string[];
  };
  const queries = strings("query", query);
  const given = prompts === undefined || prompts === null ? null : strings("prompts", prompts);
  if (given && given.length !== queries.length) {
    throw badField("prompts", `has ${given.length} entries for ${queries.length} queries`);
  }
  if (labels !== undefined && labels !== null) {
    if (!Array.isArray(labels)) {
      throw badField("labels", `expected an array or null, got ${describeValue(labels)}`);
    }
    if (labels.length !== queries.length) {
      throw badField("labels", `has ${labels.length} entries for ${queries.length} queries`);
    }
  }
  return queries.map((text, i) => {
    if (given) {
      if (!text.startsWith(given[i])) {
        throw badField(`prompts[${i}]`, `is not the start of query[${i}]`);
      }
      return {
        context: promptTurns(given[i]),
        response: stripSpecial(text.slice(given[i].length)),
      };
    }
    const split = splitQuery(text);
    if (split === null) {
      throw badField(
        `query[${i}]`,
        "has no assistant turn header (ChatML or Llama 3) to split the response at; send prompts",
      );
    }
    return { context: promptTurns(split.prompt), response: split.response };
  });
}
