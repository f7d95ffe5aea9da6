/**
 * The rollout contract of `deno task rewards` and `POST /irpm/rewards`: one GRM rollout is
 * `{"pair", "side", "strength", "text"}` plus an optional caller `id`; rollouts sharing `pair` form
 * that pair's two groups, scored by {@link scorePair}; each rollout gets one {@link RewardLine}
 * (`id` first when given), in input order. Validation errors are DataErrors naming the source,
 * line and field; pair-level problems are {@link PairError}s naming the pair.
 *
 * @module
 */
import { DataError, parseJsonl } from "./jsonl.ts";
import { describeValue } from "./fields.ts";
import {
  type DesignName,
  type MarginSpec,
  MAX_STRENGTH,
  scorePair,
  type Side,
} from "../irpm/mod.ts";

/** How rollouts are scored: the reward design, its margin and the interval level. */
export type RolloutScoring = {
  /** Reward design. */
  design: DesignName;
  /** `"adaptive"` (delta = strength - 2) or a fixed delta >= 0. */
  margin: MarginSpec;
  /** Two-sided level of the interval design. */
  alpha: number;
};

/** One validated input line. */
export type RolloutRecord = {
  line: number;
  pair: string;
  side: Side;
  strength: number;
  text: string;
  /** The caller's id of the rollout, echoed on its output line; absent when not given. */
  id?: string | number;
};

/** One output line, field names as written (`id` first, and only when the input had one). */
export type RewardLine = {
  id?: string | number;
  reward: number;
  score: number;
  format_penalty: number;
  valid: boolean;
};

function describe(value: unknown): string {
  return value === undefined ? "nothing" : describeValue(value);
}

/**
 * Validates one parsed rollout (a JSONL line's value, or an element of an HTTP body's
 * `rollouts` array) found at `at`. Throws a DataError naming `at` and the field.
 *
 * @example
 * ```ts
 * import { parseRolloutValue } from "./rollouts.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const value = { id: 7, pair: "a", side: "rejected", strength: 2, text: "t" };
 * assertEquals(parseRolloutValue(value, { source: "body", line: 1 }).id, 7);
 * assertThrows(() => parseRolloutValue({ ...value, id: [] }, { source: "body", line: 1 }), Error, 'body:1: field "id"');
 * ```
 */
export function parseRolloutValue(
  value: unknown,
  at: { source: string; line: number },
): RolloutRecord {
  const { source, line } = at;
  const bad = (field: string, problem: string) => new DataError(problem, { source, line, field });
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new DataError(`expected a JSON object, got ${describe(value)}`, { source, line });
  }
  const record = value as Record<string, unknown>;
  const { pair, side, strength, text, id } = record;
  if (typeof pair !== "string" || pair === "") {
    throw bad("pair", `expected a non-empty string, got ${describe(pair)}`);
  }
  if (side !== "chosen" && side !== "rejected") {
    throw bad("side", `expected "chosen" or "rejected", got ${describe(side)}`);
  }
  if (typeof strength !== "number" || !(strength >= 0 && strength <= MAX_STRENGTH)) {
    throw bad("strength", `expected a number in [0, ${MAX_STRENGTH}], got ${describe(strength)}`);
  }
  if (typeof text !== "string") throw bad("text", `expected a string, got ${describe(text)}`);
  if (id !== undefined && typeof id !== "string" && !(typeof id === "number" && isFinite(id))) {
    throw bad("id", `expected a string or a number, got ${describe(id)}`);
  }
  return id === undefined
    ? { line, pair, side, strength, text }
    : { line, pair, side, strength, text, id };
}

/**
 * Parses and validates the JSONL rollouts; blank lines are skipped but keep their numbers.
 * Throws a DataError `<source>:<line>: field "<name>": ...` at the first bad line (`source`
 * defaults to `stdin`).
 *
 * @example
 * ```ts
 * import { parseRolloutLines } from "./rollouts.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const good = '\n{"pair":"a","side":"chosen","strength":3,"text":"t"}';
 * assertEquals(parseRolloutLines(good), [{ line: 2, pair: "a", side: "chosen", strength: 3, text: "t" }]);
 * assertThrows(() => parseRolloutLines('{"pair":"a","side":"best","strength":3,"text":"t"}'), Error, 'stdin:1: field "side"');
 * ```
 */
export function parseRolloutLines(text: string, source: string = "stdin"): RolloutRecord[] {
  return parseJsonl(text, source).map(({ line, value }) =>
    parseRolloutValue(value, { source, line })
  );
}

/** A pair-level input problem (a side missing, strengths disagreeing, a design that cannot run). */
export class PairError extends Error {
  /** The pair id. */
  readonly pair: string;
  /** Builds the message `pair "<id>": <problem>`. */
  constructor(pair: string, problem: string) {
    super(`pair ${JSON.stringify(pair)}: ${problem}`);
    this.name = "PairError";
    this.pair = pair;
  }
}

/**
 * Scores validated rollouts: groups them by `pair`, runs {@link scorePair} on each pair, and
 * returns one {@link RewardLine} per rollout in input order (with its `id` when it has one).
 * Throws {@link PairError} for a bad pair (a side missing, strengths disagreeing).
 *
 * @example
 * ```ts
 * import { scoreRollouts } from "./rollouts.ts";
 * import { assertEquals } from "@std/assert";
 * const row = (line: number, side: "chosen" | "rejected", score: number) =>
 *   ({ line, id: `r${line}`, pair: "p", side, strength: 2, text: `<critique></critique><score>${score}</score>` });
 * const out = scoreRollouts([row(1, "chosen", 8), row(2, "rejected", 3)], { design: "mean", margin: 0, alpha: 0.05 });
 * assertEquals(out.map((l) => [l.id, l.reward]), [["r1", 1], ["r2", 1]]);
 * ```
 */
export function scoreRollouts(
  records: readonly RolloutRecord[],
  options: RolloutScoring,
): RewardLine[] {
  const pairs = new Map<string, RolloutRecord[]>();
  for (const record of records) {
    const group = pairs.get(record.pair);
    if (group) group.push(record);
    else pairs.set(record.pair, [record]);
  }
  const out = new Map<RolloutRecord, RewardLine>();
  for (const [pair, rows] of pairs) {
    const first = rows[0];
    const disagree = rows.find((row) => row.strength !== first.strength);
    if (disagree) {
      throw new PairError(
        pair,
        `strength differs: ${first.strength} on line ${first.line}, ` +
          `${disagree.strength} on line ${disagree.line}`,
      );
    }
    const chosen = rows.filter((row) => row.side === "chosen");
    const rejected = rows.filter((row) => row.side === "rejected");
    for (const [missing, present] of [["chosen", rejected], ["rejected", chosen]] as const) {
      if (present.length === rows.length) {
        const where = rows.map((row) => row.line).join(", ");
        throw new PairError(pair, `no ${missing} rollouts (lines ${where})`);
      }
    }
    let result;
    try {
      result = scorePair(
        { chosen: chosen.map((row) => row.text), rejected: rejected.map((row) => row.text) },
        {
          design: options.design,
          margin: options.margin,
          alpha: options.alpha,
          strength: first.strength,
        },
      );
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) {
        throw new PairError(pair, error.message);
      }
      throw error;
    }
    for (
      const [rowsOfSide, rewards] of [[chosen, result.chosen], [rejected, result.rejected]] as const
    ) {
      rowsOfSide.forEach((row, index) => {
        const { reward, score, formatPenalty, valid } = rewards[index];
        const line = { reward, score, format_penalty: formatPenalty, valid };
        out.set(row, row.id === undefined ? line : { id: row.id, ...line });
      });
    }
  }
  return records.map((record) => out.get(record)!);
}
