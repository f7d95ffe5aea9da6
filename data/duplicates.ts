/**
 * Duplicate preference pairs: the same comparison listed twice counts as two independent pairs,
 * which shrinks an evaluation's standard error without new evidence and lets held-out pairs be
 * copies of training pairs. These pure functions find the repeats, keep each pair's first
 * occurrence, and say which dropped pair repeats which.
 *
 * Two pairs are the same comparison when their contexts are equal (turn by turn, role and
 * content) and their two responses are the same set: a pair repeated with chosen and rejected
 * swapped is a duplicate too (its label contradicts the first; the first is kept and the drop is
 * marked `swapped`). Strength, domain, id and meta are not part of the key.
 *
 * @module
 */
import type { Turn } from "./types.ts";

/** What {@link pairKey} reads of a pair (a {@link PreferencePair} or an eval pair). */
export interface PairTexts {
  /** Identifier used in reports: the row's id or `source:line`. */
  readonly id: string;
  /** The conversation before the responses. */
  readonly context: readonly Turn[];
  /** The preferred response. */
  readonly chosen: string;
  /** The other response. */
  readonly rejected: string;
}

/** One dropped pair and the kept pair it repeats. */
export interface DuplicateOf {
  /** Id of the dropped pair. */
  readonly id: string;
  /** Id of the kept pair it repeats. */
  readonly of: string;
  /** 0-based position of the dropped pair in its list. */
  readonly index: number;
  /** 0-based position of the kept pair in its list (the training list for {@link dropOverlap}). */
  readonly ofIndex: number;
  /** True when the repeat has chosen and rejected the other way round. */
  readonly swapped: boolean;
}

/** The pairs kept (in input order) and the ones dropped, with what each repeats. */
export interface DuplicateSplit<P> {
  readonly kept: P[];
  readonly dropped: DuplicateOf[];
}

/**
 * The comparison a pair makes, as a string: context turns plus the unordered response set.
 *
 * @example
 * ```ts
 * import { pairKey } from "./duplicates.ts";
 * import { assertEquals, assertNotEquals } from "@std/assert";
 * const context = [{ role: "user" as const, content: "2+2?" }];
 * const a = { id: "a", context, chosen: "4", rejected: "5" };
 * assertEquals(pairKey(a), pairKey({ ...a, id: "b", chosen: "5", rejected: "4" }));
 * assertNotEquals(pairKey(a), pairKey({ ...a, context: [{ role: "system", content: "2+2?" }] }));
 * ```
 */
export function pairKey(pair: PairTexts): string {
  const responses = pair.chosen <= pair.rejected
    ? [pair.chosen, pair.rejected]
    : [pair.rejected, pair.chosen];
  return JSON.stringify([pair.context.map((turn) => [turn.role, turn.content]), responses]);
}

/**
 * Generic first-occurrence deduplication by a key: keeps the first item of each key, in input
 * order, and lists each later one as a {@link DuplicateOf} (`swapped` false). For items that are
 * not pairs (RM-Bench items compared as whole rows).
 *
 * @example
 * ```ts
 * import { dropDuplicatesBy } from "./duplicates.ts";
 * import { assertEquals } from "@std/assert";
 * const rows = [{ id: "1", q: "x" }, { id: "2", q: "y" }, { id: "3", q: "x" }];
 * const { kept, dropped } = dropDuplicatesBy(rows, { key: (r) => r.q, id: (r) => r.id });
 * assertEquals(kept.map((r) => r.id), ["1", "2"]);
 * assertEquals(dropped, [{ id: "3", of: "1", index: 2, ofIndex: 0, swapped: false }]);
 * ```
 */
export function dropDuplicatesBy<T>(
  items: readonly T[],
  by: { key: (item: T) => string; id: (item: T) => string },
): DuplicateSplit<T> {
  const { key, id } = by;
  const first = new Map<string, number>();
  const kept: T[] = [];
  const dropped: DuplicateOf[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    const ofIndex = first.get(k);
    if (ofIndex === undefined) {
      first.set(k, index);
      kept.push(item);
    } else {
      dropped.push({ id: id(item), of: id(items[ofIndex]), index, ofIndex, swapped: false });
    }
  });
  return { kept, dropped };
}

/**
 * Drops repeated pairs from one list, keeping each comparison's first occurrence (see the module
 * doc for what counts as the same comparison).
 *
 * @example
 * ```ts
 * import { dropDuplicatePairs } from "./duplicates.ts";
 * import { assertEquals } from "@std/assert";
 * const context = [{ role: "user" as const, content: "2+2?" }];
 * const pairs = [
 *   { id: "f.jsonl:1", context, chosen: "4", rejected: "5" },
 *   { id: "f.jsonl:2", context, chosen: "4", rejected: "5" },
 *   { id: "f.jsonl:3", context, chosen: "5", rejected: "4" },
 * ];
 * const { kept, dropped } = dropDuplicatePairs(pairs);
 * assertEquals(kept.map((p) => p.id), ["f.jsonl:1"]);
 * assertEquals(dropped.map((d) => [d.id, d.of, d.swapped]), [
 *   ["f.jsonl:2", "f.jsonl:1", false],
 *   ["f.jsonl:3", "f.jsonl:1", true],
 * ]);
 * ```
 */
export function dropDuplicatePairs<P extends PairTexts>(pairs: readonly P[]): DuplicateSplit<P> {
  const { kept, dropped } = dropDuplicatesBy(pairs, { key: pairKey, id: (p) => p.id });
  return {
    kept,
    dropped: dropped.map((d) => ({ ...d, swapped: isSwapped(pairs[d.index], pairs[d.ofIndex]) })),
  };
}

/**
 * Drops from a held-out list every pair whose comparison also occurs in the training list (sides
 * swapped included), so a held-out score never rewards memorising a training pair. Only
 * `heldOut` is filtered; repeats inside it are left to {@link dropDuplicatePairs}. `ofIndex` and
 * `of` point into `training`.
 *
 * @example
 * ```ts
 * import { dropOverlap } from "./duplicates.ts";
 * import { assertEquals } from "@std/assert";
 * const context = [{ role: "user" as const, content: "q" }];
 * const training = [{ id: "t1", context, chosen: "a", rejected: "b" }];
 * const heldOut = [
 *   { id: "h1", context, chosen: "b", rejected: "a" },
 *   { id: "h2", context, chosen: "a", rejected: "c" },
 * ];
 * const { kept, dropped } = dropOverlap(heldOut, training);
 * assertEquals(kept.map((p) => p.id), ["h2"]);
 * assertEquals(dropped, [{ id: "h1", of: "t1", index: 0, ofIndex: 0, swapped: true }]);
 * ```
 */
export function dropOverlap<P extends PairTexts>(
  heldOut: readonly P[],
  training: readonly PairTexts[],
): DuplicateSplit<P> {
  const seen = new Map<string, number>();
  training.forEach((pair, index) => {
    const k = pairKey(pair);
    if (!seen.has(k)) seen.set(k, index);
  });
  const kept: P[] = [];
  const dropped: DuplicateOf[] = [];
  heldOut.forEach((pair, index) => {
    const ofIndex = seen.get(pairKey(pair));
    if (ofIndex === undefined) {
      kept.push(pair);
      return;
    }
    const of = training[ofIndex];
    dropped.push({ id: pair.id, of: of.id, index, ofIndex, swapped: isSwapped(pair, of) });
  });
  return { kept, dropped };
}

function isSwapped(pair: PairTexts, of: PairTexts): boolean {
  return pair.chosen !== of.chosen;
}

/**
 * One line for a log or stderr: how many were dropped and which repeat which, `shown` at most.
 * Ids of the form `source:N` print as `line N`; other ids print quoted.
 *
 * @example
 * ```ts
 * import { describeDuplicates } from "./duplicates.ts";
 * import { assertEquals } from "@std/assert";
 * const dropped = [
 *   { id: "x.jsonl:3", of: "x.jsonl:1", index: 2, ofIndex: 0, swapped: false },
 *   { id: "x.jsonl:5", of: "x.jsonl:1", index: 4, ofIndex: 0, swapped: true },
 *   { id: "q7", of: "q2", index: 6, ofIndex: 1, swapped: false },
 * ];
 * assertEquals(describeDuplicates(dropped, { source: "x.jsonl", shown: 2 }),
 *   "dropped 3 duplicate pairs (line 3 repeats line 1, line 5 repeats line 1 with sides swapped; first 2 shown)");
 * ```
 */
export function describeDuplicates(
  dropped: readonly DuplicateOf[],
  options: { source?: string; shown?: number; noun?: string } = {},
): string {
  const { source, shown = 5, noun = "pair" } = options;
  const prefix = `${source}:`;
  const label = (id: string) =>
    source !== undefined && id.startsWith(prefix) && /^\d+$/.test(id.slice(prefix.length))
      ? `line ${id.slice(prefix.length)}`
      : JSON.stringify(id);
  const parts = dropped.slice(0, shown).map((d) => {
    const same = d.id === d.of;
    const self = same ? `${label(d.id)} (#${d.index + 1})` : label(d.id);
    const other = same ? `${label(d.of)} (#${d.ofIndex + 1})` : label(d.of);
    return `${self} repeats ${other}${d.swapped ? " with sides swapped" : ""}`;
  });
  const more = dropped.length > shown ? `; first ${shown} shown` : "";
  const plural = dropped.length === 1 ? noun : `${noun}s`;
  const list = parts.length === 0 ? "" : ` (${parts.join(", ")}${more})`;
  return `dropped ${dropped.length} duplicate ${plural}${list}`;
}
