/**
 * The seeded synthetic preference suite: HelpSteer3-format rows over small verifiable tasks, with
 * the hidden truth (`quality1`, `quality2`, `answer`) kept on each row.
 *
 * Each row: draw a domain, a task, then two responses, each the answer after k ~ U{0..|answer|}
 * seeded edits (see `corrupt.ts`); response2 is redrawn (up to 8 times) while it equals
 * response1. Qualities come from `score.ts`; `overall_preference` from the quality gap, so ties
 * and weak pairs stay in the raw rows and the default HelpSteer3 filters drop them, exactly as
 * for the real data ({@link syntheticPairs} runs the same {@link helpSteer3Pairs}).
 *
 * @module
 */
import { createPrng, type Prng } from "../../rng/prng.ts";
import {
  type HelpSteer3Counts,
  type HelpSteer3Options,
  helpSteer3Pairs,
  type HelpSteer3Row,
  helpSteer3Row,
} from "../helpsteer3.ts";
import { atField, requireInteger, requireString } from "../fields.ts";
import { parseJsonl } from "../jsonl.ts";
import type { PreferencePair } from "../types.ts";
import { corruptTask } from "./corrupt.ts";
import { syntheticDomains } from "./domains.ts";
import { syntheticPreference, syntheticQuality } from "./score.ts";
import type { SyntheticDomain, SyntheticTask } from "./task.ts";

/** A raw synthetic row: a HelpSteer3 row plus the hidden truth. */
export interface SyntheticRow extends HelpSteer3Row {
  /** `s<seed>-<index>` (splits: `s<seed>-train-<i>` / `s<seed>-test-<i>`). */
  id: string;
  /** Hidden quality of response1, integer 0..10. */
  quality1: number;
  /** Hidden quality of response2, integer 0..10. */
  quality2: number;
  /** The correct answer. */
  answer: string;
}

/** Options of {@link syntheticSuite}. */
export interface SyntheticSuiteOptions {
  /** PRNG seed (integer). */
  seed: number;
  /** Number of rows. */
  size: number;
  /** Domain names (default: all of `SYNTHETIC_DOMAINS`). */
  domains?: readonly string[];
}

/** JSON key order of a serialised row (also orders the nested turn keys). */
export const SYNTHETIC_ROW_KEYS: readonly string[] = Object.freeze([
  "id",
  "domain",
  "context",
  "role",
  "content",
  "response1",
  "response2",
  "overall_preference",
  "quality1",
  "quality2",
  "answer",
]);

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be an integer >= 0, got ${value}`);
  }
}

/** One row for a task: two distinct-where-possible corrupted responses and their label. */
function pairRow(task: SyntheticTask, rng: Prng, id: string): SyntheticRow {
  const draw = () => corruptTask(task, { edits: rng.int(task.answer.length + 1), rng });
  const response1 = draw();
  let response2 = draw();
  for (let retry = 0; retry < 8 && response2 === response1; retry++) response2 = draw();
  const quality1 = syntheticQuality(task, response1);
  const quality2 = syntheticQuality(task, response2);
  return {
    id,
    domain: task.domain,
    context: [{ role: "user", content: task.prompt }],
    response1,
    response2,
    overall_preference: syntheticPreference(quality1, quality2),
    quality1,
    quality2,
    answer: task.answer,
  };
}

function pickDomain(domains: SyntheticDomain[], rng: Prng): SyntheticDomain {
  return domains[rng.int(domains.length)];
}

/**
 * `size` raw rows, deterministic in `seed` (one PRNG stream, rows drawn in order).
 *
 * @example
 * ```ts
 * import { syntheticSuite } from "./suite.ts";
 * import { assertEquals } from "@std/assert";
 * const a = syntheticSuite({ seed: 1, size: 5 }), b = syntheticSuite({ seed: 1, size: 5 });
 * assertEquals(a, b);
 * assertEquals(a[0].context[0].role, "user");
 * ```
 */
export function syntheticSuite(options: SyntheticSuiteOptions): SyntheticRow[] {
  checkCount("size", options.size);
  const domains = syntheticDomains(options.domains);
  const rng = createPrng(options.seed);
  return Array.from({ length: options.size }, (_, i) => {
    const task = pickDomain(domains, rng).sampleTask(rng);
    return pairRow(task, rng, `s${options.seed}-${i}`);
  });
}

/**
 * The suite run through the HelpSteer3 conversion and filters (default: keep |p| >= 2, user-last
 * contexts). `pair.meta` carries `{ answer, qualityChosen, qualityRejected }` (plus `tie`).
 *
 * @example
 * ```ts
 * import { syntheticPairs } from "./suite.ts";
 * import { assert } from "@std/assert";
 * const { pairs, counts } = syntheticPairs({ seed: 0, size: 50 });
 * assert(counts.kept === pairs.length && counts.dropped.weak_or_tie > 0);
 * assert(pairs.every((p) => (p.meta!.qualityChosen as number) >= (p.meta!.qualityRejected as number) + 3));
 * ```
 */
export function syntheticPairs(
  options: SyntheticSuiteOptions & { filters?: Omit<HelpSteer3Options, "meta"> },
): { pairs: PreferencePair[]; counts: HelpSteer3Counts } {
  return syntheticRowPairs(syntheticSuite(options), options.filters);
}

/**
 * Given synthetic rows (e.g. one side of {@link syntheticSplits}) through the HelpSteer3
 * conversion and filters, with the hidden qualities in `pair.meta`.
 *
 * @example
 * ```ts
 * import { syntheticRowPairs, syntheticSplits } from "./suite.ts";
 * import { assert } from "@std/assert";
 * const { test } = syntheticSplits({ seed: 1, train: 1, test: 30 });
 * const { pairs, counts } = syntheticRowPairs(test);
 * assert(counts.read === 30 && pairs.every((p) => typeof p.meta!.answer === "string"));
 * ```
 */
export function syntheticRowPairs(
  rows: readonly SyntheticRow[],
  filters: Omit<HelpSteer3Options, "meta"> = {},
): { pairs: PreferencePair[]; counts: HelpSteer3Counts } {
  return helpSteer3Pairs(rows, {
    ...filters,
    meta: (row: SyntheticRow, chosen) => ({
      answer: row.answer,
      qualityChosen: chosen === 1 ? row.quality1 : row.quality2,
      qualityRejected: chosen === 1 ? row.quality2 : row.quality1,
    }),
  });
}

/**
 * Train and held-out rows whose prompts are disjoint (no prompt string in both). The test rows
 * come from their own stream, so they depend only on `seed`, `test` and `domains`, not on
 * `train`; train tasks whose prompt is in the test set are redrawn.
 *
 * @example
 * ```ts
 * import { syntheticSplits } from "./suite.ts";
 * import { assert } from "@std/assert";
 * const { train, test } = syntheticSplits({ seed: 3, train: 40, test: 20 });
 * const held = new Set(test.map((r) => r.context[0].content));
 * assert(train.every((r) => !held.has(r.context[0].content)));
 * ```
 */
export function syntheticSplits(
  options: { seed: number; train: number; test: number; domains?: readonly string[] },
): { train: SyntheticRow[]; test: SyntheticRow[] } {
  checkCount("train", options.train);
  checkCount("test", options.test);
  const domains = syntheticDomains(options.domains);
  const master = createPrng(options.seed);
  const testRng = createPrng(master.int(2 ** 31));
  const trainRng = createPrng(master.int(2 ** 31));
  const test = Array.from({ length: options.test }, (_, i) => {
    const task = pickDomain(domains, testRng).sampleTask(testRng);
    return pairRow(task, testRng, `s${options.seed}-test-${i}`);
  });
  const held = new Set(test.map((row) => row.context[0].content));
  const train = Array.from({ length: options.train }, (_, i) => {
    const domain = pickDomain(domains, trainRng);
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const task = domain.sampleTask(trainRng);
      if (!held.has(task.prompt)) return pairRow(task, trainRng, `s${options.seed}-train-${i}`);
    }
    throw new RangeError(
      `cannot find a ${domain.name} prompt outside the ${options.test}-row test set`,
    );
  });
  return { train, test };
}

/**
 * Serialises rows as JSONL with the fixed key order {@link SYNTHETIC_ROW_KEYS} (one row a line,
 * trailing newline), so a regenerated file matches byte for byte.
 *
 * @example
 * ```ts
 * import { syntheticJsonl, syntheticSuite } from "./suite.ts";
 * import { assert } from "@std/assert";
 * const text = syntheticJsonl(syntheticSuite({ seed: 0, size: 2 }));
 * assert(text.startsWith('{"id":"s0-0","domain":') && text.endsWith("}\n"));
 * ```
 */
export function syntheticJsonl(rows: readonly SyntheticRow[]): string {
  return rows.map((row) => JSON.stringify(row, SYNTHETIC_ROW_KEYS as string[]) + "\n").join("");
}

/**
 * Parses synthetic JSONL (as written by {@link syntheticJsonl}): HelpSteer3 fields validated as by
 * `parseHelpSteer3`, plus the hidden `id`, `quality1`, `quality2` (integers 0..10) and `answer`.
 * Throws a `DataError` naming `source:line` and the field at the first bad row.
 *
 * @example
 * ```ts
 * import { parseSyntheticJsonl, syntheticJsonl, syntheticSuite } from "./suite.ts";
 * import { assertEquals } from "@std/assert";
 * const rows = syntheticSuite({ seed: 2, size: 3 });
 * assertEquals(parseSyntheticJsonl(syntheticJsonl(rows), "s.jsonl"), rows);
 * ```
 */
export function parseSyntheticJsonl(text: string, source: string): SyntheticRow[] {
  return parseJsonl(text, source).map((line): SyntheticRow => {
    const base = helpSteer3Row(line.value, line);
    const object = line.value as Record<string, unknown>;
    const where = { source, line: line.line };
    const quality = { min: 0, max: 10 };
    return {
      id: requireString(object.id, atField(where, "id"), { nonEmpty: true }),
      domain: base.domain,
      context: base.context,
      response1: base.response1,
      response2: base.response2,
      overall_preference: base.overall_preference,
      quality1: requireInteger(object.quality1, atField(where, "quality1"), quality),
      quality2: requireInteger(object.quality2, atField(where, "quality2"), quality),
      answer: requireString(object.answer, atField(where, "answer"), { nonEmpty: true }),
    };
  });
}
