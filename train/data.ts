/**
 * Training and held-out pairs for a run, from the embedded synthetic suite or JSONL files, with a
 * fingerprint (so a resume on other data is refused) and a deterministic epoch order.
 *
 * @module
 */
import { readHelpSteer3 } from "../data/helpsteer3.ts";
import { readPairwise } from "../data/pairwise_jsonl.ts";
import { syntheticRowPairs, syntheticSplits } from "../data/synthetic/suite.ts";
import type { PreferencePair } from "../data/types.ts";
import { datasetFingerprint } from "../checkpoint/fingerprint.ts";
import { createPrng } from "../rng/prng.ts";
import type { TrainConfig } from "./config.ts";
import { UsageError } from "../config/flags.ts";
import { describeDuplicates, dropDuplicatePairs, dropOverlap } from "../data/duplicates.ts";

/** The pairs of a run. */
export interface TrainData {
  readonly train: PreferencePair[];
  readonly test: PreferencePair[];
  readonly fingerprint: string;
  /** What was read, kept and dropped (and why), per split. */
  readonly counts: Record<string, unknown>;
  /** Things the user should know about the data (a smaller held-out split, dropped copies...). */
  readonly notes?: readonly string[];
}

/** Position in the training stream: epoch and index into that epoch's permutation. */
export interface DataCursor {
  readonly epoch: number;
  readonly index: number;
}

/**
 * Loads the pairs a config names. Synthetic: `syntheticSplits` (disjoint prompts) through the
 * default filters. Files: the loader's filters, then repeated pairs dropped (sides swapped count as
 * the same comparison); the held-out set is `--test-path` (its repeats, and pairs that also appear
 * in the training data, dropped) or, without one, a seeded split of the file. Every drop is counted
 * in `counts` and described in `notes`; an empty result is a {@link UsageError} naming the file.
 */
export async function loadTrainData(config: Readonly<TrainConfig>): Promise<TrainData> {
  const filters = { minStrength: config.minStrength, requireUserLast: config.requireUserLast };
  // --test-min-strength: held-out pairs under their own strength filter (e.g. weak pairs too)
  const testFilters = { ...filters, minStrength: config.testMinStrength ?? config.minStrength };
  if (config.data === "synthetic") {
    const split = syntheticSplits({
      seed: config.seed,
      train: config.trainSize,
      test: config.testSize * 2,
    });
    const train = syntheticRowPairs(split.train, filters);
    const test = syntheticRowPairs(split.test, testFilters);
    // The generator may draw the same comparison twice for training (kept: independent draws, as
    // in the measured default runs); held-out pairs are checked like a file's.
    const heldOut = checkHeldOut(test.pairs.slice(0, config.testSize), train.pairs, "synthetic");
    return {
      train: train.pairs,
      test: heldOut.pairs,
      fingerprint: await datasetFingerprint([train.pairs, test.pairs]),
      counts: {
        train: { ...train.counts, repeated_draws: dropDuplicatePairs(train.pairs).dropped.length },
        test: { ...test.counts, ...heldOut.counts },
      },
      notes: heldOut.notes,
    };
  }
  const read = async (path: string, f = filters) =>
    config.data === "helpsteer3"
      ? await readHelpSteer3(path, f)
      : await readPairwise(path).then((pairs) => ({ pairs, counts: { read: pairs.length } }));
  const main = await read(config.dataPath!);
  const notes: string[] = [];
  if (main.pairs.length === 0) throw new UsageError(noPairsLeft(config.dataPath!, main.counts));
  // a repeated pair is one comparison: counted once, so it is never both trained and held out
  const unique = dropDuplicatePairs(main.pairs);
  if (unique.dropped.length > 0) {
    notes.push(`--data-path ${describeDuplicates(unique.dropped, { source: config.dataPath! })}`);
  }
  let train = unique.kept, test: PreferencePair[];
  const counts: Record<string, unknown> = {
    train: { ...main.counts, duplicates_dropped: unique.dropped.length },
  };
  if (config.testPath) {
    const held = await read(config.testPath, testFilters);
    if (held.pairs.length === 0) throw new UsageError(noPairsLeft(config.testPath, held.counts));
    const checked = checkHeldOut(held.pairs, train, config.testPath);
    if (checked.pairs.length === 0) {
      throw new UsageError(
        `--test-path ${config.testPath}: every held-out pair also appears in --data-path ` +
          `${config.dataPath}: ${checked.notes.join("; ")}`,
      );
    }
    test = checked.pairs.slice(0, config.testSize);
    counts.test = { ...held.counts, ...checked.counts };
    notes.push(...checked.notes);
  } else {
    if (train.length < 2) {
      throw new UsageError(
        `--data-path ${config.dataPath}: 1 pair after the filters; a training and a held-out ` +
          `split need at least 2 (or pass --test-path)`,
      );
    }
    const held = heldOutSize(train.length, config.testSize);
    if (held < config.testSize) {
      notes.push(
        `--data-path ${config.dataPath} has ${train.length} pairs after the filters, too few to ` +
          `hold out --test-size ${config.testSize}: held out ${held} (20%) and trained on ` +
          `${train.length - held}; pass --test-path for a separate held-out file`,
      );
    }
    const order = permutation(train.length, createPrng(config.seed + 17));
    const cut = train.length - held;
    test = order.slice(cut).map((i) => train[i]);
    train = order.slice(0, cut).map((i) => train[i]);
  }
  return { train, test, fingerprint: await datasetFingerprint([train, test]), counts, notes };
}

/**
 * Drops held-out pairs that repeat one another or a training pair (either would make the held-out
 * numbers look surer or better than the evidence), with counts and a note naming them.
 */
function checkHeldOut(
  test: readonly PreferencePair[],
  train: readonly PreferencePair[],
  source: string,
): { pairs: PreferencePair[]; counts: Record<string, number>; notes: string[] } {
  const unique = dropDuplicatePairs(test);
  const fresh = dropOverlap(unique.kept, train);
  const notes: string[] = [];
  if (unique.dropped.length > 0) {
    notes.push(`held-out ${source}: ${describeDuplicates(unique.dropped, { source })}`);
  }
  if (fresh.dropped.length > 0) {
    notes.push(
      `held-out ${source}: dropped ${fresh.dropped.length} pairs that also appear in the ` +
        `training data (${
          fresh.dropped.slice(0, 5).map((d) => `${d.id} = training ${d.of}`).join(", ")
        }${fresh.dropped.length > 5 ? ", ..." : ""})`,
    );
  }
  return {
    pairs: fresh.kept,
    counts: {
      duplicates_dropped: unique.dropped.length,
      overlap_with_train_dropped: fresh.dropped.length,
    },
    notes,
  };
}

/**
 * Pairs held out of one file: `testSize` when that leaves at least as many for training, else
 * 20% (at least 1), so a small file still trains.
 *
 * @example
 * ```ts
 * import { heldOutSize } from "./data.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([heldOutSize(1000, 256), heldOutSize(300, 256), heldOutSize(6, 256), heldOutSize(2, 256)], [256, 60, 2, 1]);
 * ```
 */
export function heldOutSize(pairs: number, testSize: number): number {
  if (pairs >= 2 * testSize) return testSize;
  return Math.min(pairs - 1, Math.max(1, Math.ceil(pairs * 0.2)));
}

function noPairsLeft(path: string, counts: unknown): string {
  const c = counts as { read?: number; dropped?: Record<string, number> };
  const dropped = Object.entries(c.dropped ?? {}).filter(([, n]) => n > 0);
  if (c.read === 0) return `${path}: no rows (an empty file)`;
  return `${path}: no pairs left${
    c.read === undefined
      ? ""
      : ` (read ${c.read} rows${
        dropped.length
          ? `; dropped ${dropped.map(([k, n]) => `${n} ${k}`).join(", ")}`
          : ""
      })`
  }${
    dropped.some(([k]) => k === "weak_or_tie") ? "; --min-strength lowers the strength filter" : ""
  }${
    dropped.some(([k]) => k === "not_user_last") ? ", --no-require-user-last the turn filter" : ""
  }`;
}

/** A seeded Fisher-Yates permutation of 0..n-1. */
export function permutation(n: number, rng: { int(n: number): number }): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The next batch of pairs and the advanced cursor. Epoch e is a permutation seeded by (seed, e),
 * so the cursor alone determines every later batch (resume reproduces the stream).
 *
 * @example
 * ```ts
 * import { nextBatch } from "./data.ts";
 * import { assertEquals } from "@std/assert";
 * const pairs = [0, 1, 2, 3, 4].map((i) => ({ id: `p${i}` }));
 * const a = nextBatch(pairs, { cursor: { epoch: 0, index: 0 }, batch: 3, seed: 1 });
 * const b = nextBatch(pairs, { cursor: a.cursor, batch: 3, seed: 1 });
 * assertEquals(b.cursor, { epoch: 1, index: 1 });
 * assertEquals(new Set([...a.batch, ...b.batch.slice(0, 2)].map((p) => p.id)).size, 5);
 * ```
 */
export function nextBatch<T>(
  pairs: readonly T[],
  at: { cursor: DataCursor; batch: number; seed: number },
): { batch: T[]; cursor: DataCursor } {
  if (pairs.length === 0) throw new RangeError("nextBatch: no pairs");
  let { epoch, index } = at.cursor;
  let order = permutation(pairs.length, createPrng(at.seed * 1009 + epoch));
  const batch: T[] = [];
  while (batch.length < at.batch) {
    if (index >= pairs.length) {
      epoch++;
      index = 0;
      order = permutation(pairs.length, createPrng(at.seed * 1009 + epoch));
    }
    batch.push(pairs[order[index++]]);
  }
  return { batch, cursor: { epoch, index } };
}
