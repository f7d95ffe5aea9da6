/**
 * HelpSteer3 "preference" loader: validated rows -> filtered {@link PreferencePair}s.
 *
 * A row is `{domain, language?, context: [{role, content}...], response1, response2,
 * overall_preference}` with `overall_preference` an integer in -3..3; negative means response1
 * is better, |p| is the strength (0 tie, 1 slightly, 2 better, 3 much better). Other fields
 * (`individual_preference`, the synthetic suite's hidden fields) are ignored; a string `id` is kept.
 *
 * Two steps, so the synthetic suite reuses the second: {@link parseHelpSteer3} (text -> rows,
 * every field checked) and {@link helpSteer3Pairs} (rows -> pairs + counts, with method.md's
 * filters). {@link readHelpSteer3} does both for a file path.
 *
 * @module
 */
import { parseJsonl, readTextFileStrict, sourceName } from "./jsonl.ts";
import {
  atField,
  optionalString,
  requireArray,
  requireInteger,
  requireOneOf,
  requireRecord,
  requireString,
} from "./fields.ts";
import { type PreferencePair, ROLES, type Turn } from "./types.ts";

/** One HelpSteer3 preference row after validation. */
export interface HelpSteer3Row {
  /** Row id: the row's own string `id` if it has one, else `source:line` (or generated). */
  id?: string;
  /** HelpSteer3 domain: "general", "stem", "code" or "multilingual" (any string accepted). */
  domain: string;
  /** Language tag, when the row has one. */
  language?: string;
  /** The conversation before the two responses (non-empty). */
  context: Turn[];
  /** First response. */
  response1: string;
  /** Second response. */
  response2: string;
  /** Integer in -3..3; negative: response1 better; 0: tie. */
  overall_preference: number;
}

/** Filters and conversion options of {@link helpSteer3Pairs}. */
export interface HelpSteer3Options<R extends HelpSteer3Row = HelpSteer3Row> {
  /** Keep rows with |overall_preference| >= this (integer 0..3). 0 keeps ties. Default 2. */
  minStrength?: number;
  /** Keep only contexts whose last turn is a user turn. Default true. */
  requireUserLast?: boolean;
  /** Keep only these domains (default: all). */
  domains?: readonly string[];
  /** Extra per-pair meta from the row; `chosen` says which response became `chosen`. */
  meta?: (row: R, chosen: 1 | 2) => Record<string, unknown>;
}

/** Per-filter counts; a row failing several filters counts under the first, in key order. */
export interface HelpSteer3Counts {
  /** Rows given. */
  read: number;
  /** Pairs returned. */
  kept: number;
  /** Rows dropped, by the first filter that rejected them. */
  dropped: { weak_or_tie: number; not_user_last: number; domain: number };
}

/** method.md's recipe defaults, one reason each. */
export const HELPSTEER3_DEFAULTS: Readonly<{ minStrength: number; requireUserLast: boolean }> =
  Object.freeze({
    /** The recipe drops ties and "slightly better" (|p| <= 1), about half of HelpSteer3. */
    minStrength: 2,
    /** The GRM judges the reply to a user turn; assistant-last contexts are dropped. */
    requireUserLast: true,
  });

/**
 * Validates one parsed JSONL value as a HelpSteer3 row (used by {@link parseHelpSteer3}).
 * `fallbackId` becomes `id` unless the row carries a non-empty string `id`.
 */
export function helpSteer3Row(
  value: unknown,
  at: { source: string; line: number; fallbackId?: string },
): HelpSteer3Row {
  const where = { source: at.source, line: at.line };
  const object = requireRecord(value, where);
  const field = (name: string) => atField(where, name);
  const domain = requireString(object.domain, field("domain"), { nonEmpty: true });
  const language = optionalString(object.language, field("language"));
  const turns = requireArray(object.context, field("context"), { minLength: 1 });
  const context = turns.map((turn, i): Turn => {
    const turnAt = field(`context[${i}]`);
    const record = requireRecord(turn, turnAt);
    return {
      role: requireOneOf(record.role, { at: atField(turnAt, ".role"), choices: ROLES }),
      content: requireString(record.content, atField(turnAt, ".content")),
    };
  });
  const response1 = requireString(object.response1, field("response1"));
  const response2 = requireString(object.response2, field("response2"));
  const overall_preference = requireInteger(
    object.overall_preference,
    field("overall_preference"),
    { min: -3, max: 3 },
  );
  const ownId = typeof object.id === "string" && object.id !== "" ? object.id : undefined;
  const row: HelpSteer3Row = {
    id: ownId ?? at.fallbackId ?? `${at.source}:${at.line}`,
    domain,
    context,
    response1,
    response2,
    overall_preference,
  };
  if (language !== undefined) row.language = language;
  return row;
}

/**
 * Parses and validates HelpSteer3 JSONL text. Throws a {@link DataError} naming
 * `source:line` and the field at the first bad row; returns every row otherwise.
 *
 * @example
 * ```ts
 * import { parseHelpSteer3 } from "./helpsteer3.ts";
 * import { assertEquals } from "@std/assert";
 * const text = '{"domain":"code","context":[{"role":"user","content":"hi"}],' +
 *   '"response1":"a","response2":"b","overall_preference":2}';
 * const [row] = parseHelpSteer3(text, "h.jsonl");
 * assertEquals([row.id, row.overall_preference], ["h.jsonl:1", 2]);
 * ```
 */
export function parseHelpSteer3(text: string, source: string): HelpSteer3Row[] {
  return parseJsonl(text, source).map((line) => helpSteer3Row(line.value, line));
}

/**
 * Converts rows to preference pairs with the recipe's filters (each switchable):
 * drop |p| < minStrength, drop contexts not ending on a user turn, keep listed domains.
 * Sign: p < 0 -> chosen = response1; p > 0 -> chosen = response2; strength = |p|.
 * A tie (p = 0, kept only with `minStrength: 0`) gives chosen = response1, strength 0,
 * `meta.tie = true`.
 *
 * @example
 * ```ts
 * import { helpSteer3Pairs } from "./helpsteer3.ts";
 * import { assertEquals } from "@std/assert";
 * const base = { domain: "general", context: [{ role: "user" as const, content: "q" }] };
 * const rows = [
 *   { ...base, id: "a", response1: "good", response2: "bad", overall_preference: -3 },
 *   { ...base, id: "b", response1: "x", response2: "y", overall_preference: 1 },
 * ];
 * const { pairs, counts } = helpSteer3Pairs(rows);
 * assertEquals([pairs[0].chosen, pairs[0].strength], ["good", 3]);
 * assertEquals(counts.dropped.weak_or_tie, 1);
 * ```
 */
export function helpSteer3Pairs<R extends HelpSteer3Row>(
  rows: readonly R[],
  options: HelpSteer3Options<R> = {},
): { pairs: PreferencePair[]; counts: HelpSteer3Counts } {
  const {
    minStrength = HELPSTEER3_DEFAULTS.minStrength,
    requireUserLast = HELPSTEER3_DEFAULTS.requireUserLast,
    domains,
    meta,
  } = options;
  if (!Number.isInteger(minStrength) || minStrength < 0 || minStrength > 3) {
    throw new RangeError(`minStrength must be an integer in 0..3, got ${minStrength}`);
  }
  const counts: HelpSteer3Counts = {
    read: rows.length,
    kept: 0,
    dropped: { weak_or_tie: 0, not_user_last: 0, domain: 0 },
  };
  const pairs: PreferencePair[] = [];
  for (const [index, row] of rows.entries()) {
    const p = row.overall_preference;
    const strength = Math.abs(p);
    if (strength < minStrength) {
      counts.dropped.weak_or_tie++;
      continue;
    }
    if (requireUserLast && row.context.at(-1)?.role !== "user") {
      counts.dropped.not_user_last++;
      continue;
    }
    if (domains !== undefined && !domains.includes(row.domain)) {
      counts.dropped.domain++;
      continue;
    }
    const chosenIndex: 1 | 2 = p <= 0 ? 1 : 2; // HelpSteer3: negative means response1 is better
    const extra: Record<string, unknown> = {};
    if (row.language !== undefined) extra.language = row.language;
    if (p === 0) extra.tie = true;
    Object.assign(extra, meta?.(row, chosenIndex));
    const pair: PreferencePair = {
      id: row.id ?? `row-${index}`,
      context: row.context.map((turn) => ({ role: turn.role, content: turn.content })),
      chosen: chosenIndex === 1 ? row.response1 : row.response2,
      rejected: chosenIndex === 1 ? row.response2 : row.response1,
      strength,
      domain: row.domain,
    };
    if (Object.keys(extra).length > 0) pair.meta = extra;
    pairs.push(pair);
    counts.kept++;
  }
  return { pairs, counts };
}

/**
 * Reads a HelpSteer3 JSONL file, validates every row, and converts with {@link helpSteer3Pairs}.
 *
 * @example
 * ```ts
 * import { readHelpSteer3 } from "./helpsteer3.ts";
 * import { assertEquals } from "@std/assert";
 * const { counts } = await readHelpSteer3(new URL("./samples/helpsteer3_sample.jsonl", import.meta.url));
 * assertEquals(counts.read, counts.kept + counts.dropped.weak_or_tie + counts.dropped.not_user_last);
 * ```
 */
export async function readHelpSteer3(
  path: string | URL,
  options: HelpSteer3Options = {},
): Promise<{ pairs: PreferencePair[]; counts: HelpSteer3Counts }> {
  const rows = parseHelpSteer3(await readTextFileStrict(path), sourceName(path));
  return helpSteer3Pairs(rows, options);
}
