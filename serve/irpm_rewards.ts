/**
 * `POST /irpm/rewards`: the `deno task rewards` contract over HTTP, in two body formats.
 *
 * - JSONL (`Content-Type: application/x-ndjson` or `application/jsonl`): the CLI's stdin; the
 *   reply is byte for byte the CLI's stdout (one line per rollout, `id` first when given).
 * - JSON (anything else): `{"rollouts": [{"id"?, "pair", "side", "strength", "text"}, ...]}`;
 *   the reply is `{"rewards": [<the same lines as objects>]}`.
 *
 * Bad input is a 400 whose message is the CLI's, with the JSONL location `body:<line>` or the
 * JSON path `rollouts[<i>].<field>`; a pair problem names the pair (and, in JSON bodies, rollouts
 * by 1-based position, as the CLI names lines).
 *
 * @module
 */
import { DataError, parseJsonl } from "../data/jsonl.ts";
import { describeValue } from "../data/fields.ts";
import {
  PairError,
  parseRolloutValue,
  type RewardLine,
  type RolloutRecord,
  type RolloutScoring,
  scoreRollouts,
} from "../data/rollouts.ts";
import { badField, HttpError } from "./http_error.ts";
import { parseJsonBody } from "./read_body.ts";

/** Content types read as JSONL. */
export const JSONL_TYPES: readonly string[] = ["application/x-ndjson", "application/jsonl"];

/** A reply body and its content type. */
export interface Reply {
  readonly body: string;
  readonly contentType: string;
}

/**
 * Validates the `rollouts` array of a JSON body (positions count from 1 in pair messages).
 *
 * @example
 * ```ts
 * import { parseRolloutArray } from "./irpm_rewards.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseRolloutArray([{ pair: "p", side: "chosen", strength: 2, text: "t" }])[0].line, 1);
 * assertThrows(() => parseRolloutArray([{ pair: "p", side: "best", strength: 2, text: "t" }]), Error,
 *   'rollouts[0].side: expected "chosen" or "rejected", got "best"');
 * ```
 */
export function parseRolloutArray(value: unknown): RolloutRecord[] {
  if (!Array.isArray(value)) {
    const got = value === undefined ? "nothing" : describeValue(value);
    throw badField("rollouts", `expected an array of rollouts, got ${got}`);
  }
  return value.map((item, i) => {
    try {
      return parseRolloutValue(item, { source: "rollouts", line: i + 1 });
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      // Re-address the CLI's `rollouts:<i+1>: field "f": problem` as `rollouts[i].f: problem`.
      const field = `rollouts[${i}]` + (error.field === undefined ? "" : `.${error.field}`);
      const problem = error.message.replace(/^rollouts:\d+: (field "[^"]*": )?/, "");
      throw badField(field, problem);
    }
  });
}

/**
 * Scores a request body (its text and Content-Type). Throws a 400 {@link HttpError} for bad input.
 *
 * @example
 * ```ts
 * import { irpmRewardsReply } from "./irpm_rewards.ts";
 * import { assertEquals } from "@std/assert";
 * const line = (id: number, side: string, s: number) =>
 *   JSON.stringify({ id, pair: "p", side, strength: 2, text: `<critique></critique><score>${s}</score>` });
 * const text = [line(1, "chosen", 7), line(2, "rejected", 5)].join("\n");
 * const reply = irpmRewardsReply({ text, contentType: "application/x-ndjson" },
 *   { design: "mean", margin: "adaptive", alpha: 0.05 });
 * assertEquals(reply.body, '{"id":1,"reward":1,"score":7,"format_penalty":0,"valid":true}\n' +
 *   '{"id":2,"reward":1,"score":5,"format_penalty":0,"valid":true}\n');
 * ```
 */
export function irpmRewardsReply(
  body: { text: string; contentType: string | null },
  options: RolloutScoring,
): Reply {
  const { text, contentType } = body;
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  const jsonl = JSONL_TYPES.includes(type);
  let records: RolloutRecord[];
  if (jsonl) {
    try {
      records = parseJsonl(text, "body").map(({ line, value }) =>
        parseRolloutValue(value, { source: "body", line })
      );
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      const field = error.field === undefined ? `body:${error.line}` : error.field;
      throw new HttpError(
        400,
        error.field === undefined ? "bad_json" : "bad_field",
        error.message,
        {
          field,
        },
      );
    }
  } else {
    const body = parseJsonBody(text);
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw badField(
        "body",
        `expected a JSON object {"rollouts": [...]}, got ${describeValue(body)}`,
      );
    }
    records = parseRolloutArray((body as Record<string, unknown>).rollouts);
  }
  let lines: RewardLine[];
  try {
    lines = scoreRollouts(records, options);
  } catch (error) {
    if (error instanceof PairError) {
      throw new HttpError(400, "bad_field", error.message, { field: "pair" });
    }
    throw error;
  }
  return jsonl
    ? {
      body: lines.map((line) => JSON.stringify(line) + "\n").join(""),
      contentType: "application/x-ndjson",
    }
    : {
      body: `{"rewards":[${lines.map((line) => JSON.stringify(line)).join(",")}]}\n`,
      contentType: "application/json",
    };
}
