/**
 * The pairs an evaluation runs on, from any of the kit's data formats, in one shape
 * ({@link EvalPair}) that keeps what each benchmark's scoring needs: the RewardBench subset, the
 * RM-Bench item and level, the JudgeBench presentation order.
 *
 * | `data` | source | notes |
 * |---|---|---|
 * | `synthetic` | the trainer's held-out split (`seed`, `testSize`) | hidden qualities in `meta` |
 * | `helpsteer3` | HelpSteer3 JSONL | method.md filters (|p| >= 2, user-last) |
 * | `pairwise` | `{prompt, chosen, rejected, subset?}` JSONL | `subset` -> RewardBench sections |
 * | `rm-bench` | RM-Bench 3 x 3 JSONL | 9 pairs per item, level hard/normal/easy |
 * | `judgebench` | JudgeBench JSONL ({@link parseJudgeBench}) | (A, B) order and label kept |
 *
 * A file's repeated comparisons are dropped before anything else (first occurrence kept; a pair
 * with its sides swapped is a repeat too, see `data/duplicates.ts`): copies are not independent
 * evidence and would shrink the standard error. RM-Bench repeats are whole rows (prompt and both
 * style triples), so every kept item still has its 3 x 3 pairs. `--limit` then takes the first N
 * distinct pairs (RM-Bench: items).
 *
 * @module
 */
import { dropDuplicatePairs, dropDuplicatesBy, type DuplicateOf } from "../data/duplicates.ts";
import { readHelpSteer3 } from "../data/helpsteer3.ts";
import { readPairwise } from "../data/pairwise_jsonl.ts";
import {
  readRmBench,
  type RmBenchItem,
  type RmBenchLevel,
  rmBenchPairs,
} from "../data/rm_bench.ts";
import type { Turn } from "../data/types.ts";
import { REWARDBENCH_EXAMPLE_COUNTS } from "../eval/rewardbench.ts";
import { heldOutSyntheticPairs } from "../train/warmstart.ts";
import { type JudgeBenchRow, readJudgeBench } from "./judgebench_jsonl.ts";

/** Dataset formats `deno task eval` reads. */
export const EVAL_DATA = ["synthetic", "helpsteer3", "pairwise", "rm-bench", "judgebench"] as const;
/** One of {@link EVAL_DATA}. */
export type EvalData = (typeof EVAL_DATA)[number];

/** One pair to evaluate. */
export interface EvalPair {
  /** Stable id (RM-Bench: `item:i-j`). */
  readonly id: string;
  /** The conversation before the responses. */
  readonly context: readonly Turn[];
  /** The preferred response. */
  readonly chosen: string;
  /** The other response. */
  readonly rejected: string;
  /** Task domain (synthetic/HelpSteer3 domain, RM-Bench domain, pairwise subset, JB source). */
  readonly domain: string;
  /** RewardBench subset, set when the pair's subset is one of RewardBench's. */
  readonly subset?: string;
  /** RM-Bench level of the (chosen style i, rejected style j) comparison. */
  readonly level?: RmBenchLevel;
  /** RM-Bench item id. */
  readonly item?: string;
  /** Presentation order in the source: true when the chosen response is shown first (as A). */
  readonly chosenFirst?: boolean;
  /** Hidden truth of synthetic pairs: `{ qualityChosen, qualityRejected, answer }`. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A loaded evaluation set. */
export interface EvalSet {
  /** Which format. */
  readonly data: EvalData;
  /** Path, or `synthetic(seed=..., pairs=...)`. */
  readonly source: string;
  /** The pairs, in file order. */
  readonly pairs: EvalPair[];
  /**
   * Repeats dropped from the file, each naming the kept row it repeats (pairs; RM-Bench: items);
   * absent for the synthetic split.
   */
  readonly duplicates?: readonly DuplicateOf[];
}

/** Options of {@link loadEvalSet}. */
export interface EvalSetOptions {
  /** Required for every format but `synthetic`. */
  readonly dataPath?: string;
  /** Synthetic held-out split seed (the trainer's `--seed`). Default 0. */
  readonly seed?: number;
  /** Synthetic held-out pairs (the trainer's `--test-size`). Default 256. */
  readonly testSize?: number;
  /** Keep only the first `limit` pairs (RM-Bench: items) of a file. Default: all. */
  readonly limit?: number;
}

/**
 * Converts JudgeBench rows: chosen = the labelled winner, `chosenFirst` = label is "A>B".
 *
 * @example
 * ```ts
 * import { judgeBenchEvalPairs } from "./eval_set.ts";
 * import { assertEquals } from "@std/assert";
 * const [p] = judgeBenchEvalPairs([
 *   { id: "j", question: "q", responseA: "bad", responseB: "good", label: "B>A", source: "math" },
 * ]);
 * assertEquals([p.chosen, p.rejected, p.chosenFirst, p.domain], ["good", "bad", false, "math"]);
 * ```
 */
export function judgeBenchEvalPairs(rows: readonly JudgeBenchRow[]): EvalPair[] {
  return rows.map((row) => {
    const chosenFirst = row.label === "A>B";
    return {
      id: row.id,
      context: [{ role: "user", content: row.question }],
      chosen: chosenFirst ? row.responseA : row.responseB,
      rejected: chosenFirst ? row.responseB : row.responseA,
      domain: row.source,
      chosenFirst,
    };
  });
}

/**
 * The RewardBench subset of a domain name, when RewardBench knows it.
 *
 * @example
 * ```ts
 * import { rewardBenchSubset } from "./eval_set.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([rewardBenchSubset("math-prm"), rewardBenchSubset("arith")], ["math-prm", undefined]);
 * ```
 */
export function rewardBenchSubset(domain: string): string | undefined {
  return Object.hasOwn(REWARDBENCH_EXAMPLE_COUNTS, domain) ? domain : undefined;
}

function checkCount(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`loadEvalSet: ${name} must be an integer >= 1, got ${value}`);
  }
}

/**
 * Loads an evaluation set (formats in the module table). Throws TypeError when a file format has
 * no `dataPath`, RangeError for a bad count or an empty set, and the loaders' `DataError`
 * (`file:line: field "f": ...`) for a bad row.
 */
export async function loadEvalSet(data: EvalData, options: EvalSetOptions = {}): Promise<EvalSet> {
  const { dataPath, seed = 0, testSize = 256, limit } = options;
  checkCount(testSize, "testSize");
  checkCount(limit, "limit");
  if (!(EVAL_DATA as readonly string[]).includes(data)) {
    throw new TypeError(`loadEvalSet: unknown data "${data}" (known: ${EVAL_DATA.join(", ")})`);
  }
  if (data === "synthetic") {
    const pairs = heldOutSyntheticPairs(seed, testSize * 2).slice(0, testSize);
    return { data, source: `synthetic(seed=${seed}, pairs=${pairs.length})`, pairs };
  }
  if (!dataPath) throw new TypeError(`loadEvalSet: data "${data}" needs a dataPath`);
  const cut = <T>(xs: T[]) => (limit === undefined ? xs : xs.slice(0, limit));
  let pairs: EvalPair[];
  let duplicates: DuplicateOf[];
  if (data === "rm-bench") {
    const items = dropDuplicatesBy(await readRmBench(dataPath), {
      key: rmBenchItemKey,
      id: (item) => item.id,
    });
    duplicates = items.dropped;
    pairs = cut(items.kept).flatMap((item) =>
      rmBenchPairs(item).map(({ level, pair }) => ({ ...pair, level, item: item.id }))
    );
  } else {
    const all: EvalPair[] = data === "helpsteer3"
      ? (await readHelpSteer3(dataPath)).pairs
      : data === "pairwise"
      ? (await readPairwise(dataPath)).map((p) => ({ ...p, subset: rewardBenchSubset(p.domain) }))
      : judgeBenchEvalPairs(await readJudgeBench(dataPath));
    const distinct = dropDuplicatePairs(all);
    duplicates = distinct.dropped;
    pairs = cut(distinct.kept);
  }
  if (pairs.length === 0) throw new RangeError(`${dataPath}: no pairs to evaluate`);
  return { data, source: dataPath, pairs, duplicates };
}

/** An RM-Bench row's content: the prompt and both style triples, in style order. */
function rmBenchItemKey(item: RmBenchItem): string {
  return JSON.stringify([item.prompt, item.chosen, item.rejected]);
}
