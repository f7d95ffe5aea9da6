/**
 * Sweep grids: one JSON file per ablation (checked in under `sweeps/`) = a base config, the
 * settings varied, and the seeds. {@link parseGrid} checks every field against the trainer's own
 * rules and expands the grid into cells; each cell is one `deno task train` run with its own run
 * directory named by its settings.
 *
 * ```json
 * {
 *   "name": "group_size",
 *   "claim": "G = 4 is best; G = 2 is noisier; G = 8 costs more with no gain",
 *   "base": { "steps": 150 },
 *   "vary": { "groupSize": [2, 4, 8] },
 *   "seeds": [0, 1, 2],
 *   "baseline": { "groupSize": 4 }
 * }
 * ```
 *
 * `vary` is a cartesian product; `cells` (a list of settings objects) is the alternative when only
 * some combinations are wanted. `baseline` names the settings that paired differences are taken
 * against (same seed).
 *
 * @module
 */
import { UsageError } from "../config/flags.ts";
import { camelToKebab } from "../config/flags.ts";
import { checkConfigObject, resolveTrainConfig, type TrainConfig } from "./config.ts";
import { checkRunName } from "./run_dir.ts";

/**
 * What a grid's settings are checked with: the GRM trainer's rules by default
 * ({@link TRAIN_GRID_RULES}); the policy grid passes its own (policy/policy_grid.ts).
 */
export interface GridRules<C extends object> {
  /** Checks a settings object (throws `unknown config key "k"` / `config key "k" ...` messages). */
  readonly checkObject: (value: unknown, source: string) => Partial<C>;
  /** The cross-setting checks of one cell's full config (throws a message to prefix). */
  readonly checkCell: (config: Readonly<Partial<C>>) => void;
  /** The command whose `--help` lists the config keys, for error messages. */
  readonly helpCommand: string;
  /** Grid keys besides the standard ones (their values land in `SweepGrid.extra`). */
  readonly extraKeys?: readonly string[];
}

/** The GRM trainer's rules (`deno task sweep`). */
export const TRAIN_GRID_RULES: GridRules<TrainConfig> = Object.freeze({
  checkObject: checkConfigObject,
  checkCell: (config: Readonly<Partial<TrainConfig>>) => void resolveTrainConfig([], config),
  helpCommand: "deno task train",
});

/** A parsed grid. */
export interface SweepGrid<C extends object = TrainConfig> {
  /** Grid name: the folder of its runs and results. */
  readonly name: string;
  /** The paper's claim the grid tests, in words. */
  readonly claim: string;
  /** Settings shared by every cell. */
  readonly base: Readonly<Partial<C>>;
  /** One settings object per setting combination (without the seed), in grid order. */
  readonly settings: readonly Readonly<Partial<C>>[];
  readonly seeds: readonly number[];
  /** The settings paired differences are taken against, if any (one of `settings`). */
  readonly baseline: Readonly<Partial<C>> | null;
  /** The values of the rules' extra grid keys. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** One run of a grid. */
export interface SweepCell<C extends object = TrainConfig> {
  /** Run name: the settings and the seed, e.g. `group-size-4_seed-1`. */
  readonly name: string;
  /** Name of its settings without the seed (cells differing only in seed share it). */
  readonly group: string;
  /** The varied settings of this cell (without the seed). */
  readonly settings: Readonly<Partial<C>>;
  readonly seed: number;
  /** The full config the cell trains with (base + settings + seed). */
  readonly config: Readonly<Partial<C>>;
}

/** Keys a grid may not set: where runs go and how a single process stops are the sweep's. */
const RESERVED = ["name", "runDir", "force", "stopAfter", "seed"] as const;

const GRID_KEYS = ["name", "claim", "base", "vary", "cells", "seeds", "baseline"];

function fail(source: string, field: string, problem: string): never {
  throw new UsageError(`${source}: field "${field}": ${problem}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks a settings object with the rules, naming `field.key` in errors. */
function checkSettings<C extends object>(
  rules: GridRules<C>,
  value: unknown,
  source: string,
  field: string,
  at: (key: string) => string = (key) => `${field}.${key}`,
): Partial<C> {
  if (!isObject(value)) fail(source, field, "expected an object of config keys");
  for (const key of Object.keys(value)) {
    if ((RESERVED as readonly string[]).includes(key)) {
      fail(
        source,
        at(key),
        key === "seed" ? 'seeds go in the "seeds" list' : "set by the sweep, not the grid",
      );
    }
  }
  try {
    return rules.checkObject(value, source);
  } catch (error) {
    const m = /config key "([^"]+)"(.*)$/.exec((error as Error).message);
    const message = (error as Error).message;
    const unknown = /unknown config key "([^"]+)"/.exec(message);
    if (unknown) {
      fail(source, at(unknown[1]), `unknown config key (see ${rules.helpCommand} --help)`);
    }
    if (m) fail(source, at(m[1]), m[2].replace(/^:?\s*/, ""));
    throw error;
  }
}

/** A cell's settings as a run-name fragment: `group-size-4_kl-coef-0.001`. */
export function settingsName(settings: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(settings).map(([k, v]) =>
    `${camelToKebab(k)}-${String(v).replace(/[^A-Za-z0-9.+-]/g, "_")}`
  );
  return parts.length === 0 ? "base" : parts.join("_");
}

/**
 * Parses and checks a grid (the JSON value of a grid file; `source` names it in errors) and
 * expands it. Every problem throws a {@link UsageError} naming the field.
 *
 * @example
 * ```ts
 * import { parseGrid, gridCells } from "./sweep_grid.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const grid = parseGrid({ name: "g", claim: "G=4 best", base: { steps: 10 },
 *   vary: { groupSize: [2, 4] }, seeds: [0, 1], baseline: { groupSize: 4 } }, "g.json");
 * assertEquals(gridCells(grid).map((c) => c.name),
 *   ["group-size-2_seed-0", "group-size-2_seed-1", "group-size-4_seed-0", "group-size-4_seed-1"]);
 * assertThrows(() => parseGrid({ name: "g", claim: "", vary: { groupSize: [2, 1.5] }, seeds: [0] }, "g.json"),
 *   Error, 'g.json: field "vary.groupSize[1]"');
 * assertThrows(() => parseGrid({ name: "g", claim: "", vary: { groupSize: [2] }, seeds: [] }, "g.json"),
 *   Error, 'g.json: field "seeds": expected a non-empty list');
 * ```
 */
export function parseGrid<C extends object = TrainConfig>(
  value: unknown,
  source: string,
  rules: GridRules<C> = TRAIN_GRID_RULES as unknown as GridRules<C>,
): SweepGrid<C> {
  if (!isObject(value)) throw new UsageError(`${source}: expected a JSON object (a sweep grid)`);
  for (const key of Object.keys(value)) {
    const known = [...GRID_KEYS, ...(rules.extraKeys ?? [])];
    if (!known.includes(key)) {
      fail(source, key, `unknown grid key (known: ${known.join(", ")})`);
    }
  }
  if (typeof value.name !== "string") fail(source, "name", "expected a string");
  try {
    checkRunName(value.name, "name");
  } catch (error) {
    fail(source, "name", (error as Error).message);
  }
  const claim = value.claim ?? "";
  if (typeof claim !== "string") fail(source, "claim", "expected a string");
  const base: Partial<C> = value.base === undefined
    ? {}
    : checkSettings(rules, value.base, source, "base");
  if (!Array.isArray(value.seeds) || value.seeds.length === 0) {
    fail(source, "seeds", "expected a non-empty list of seeds (integers >= 0)");
  }
  const seeds = value.seeds.map((s, i) => {
    if (!Number.isInteger(s) || (s as number) < 0) {
      fail(source, `seeds[${i}]`, `expected an integer >= 0, got ${JSON.stringify(s)}`);
    }
    return s as number;
  });
  if (new Set(seeds).size !== seeds.length) fail(source, "seeds", "a seed is repeated");

  let settings: Partial<C>[];
  if (value.vary !== undefined && value.cells !== undefined) {
    fail(source, "cells", 'give "vary" (every combination) or "cells" (a list), not both');
  }
  if (value.vary !== undefined) {
    if (!isObject(value.vary) || Object.keys(value.vary).length === 0) {
      fail(source, "vary", "expected an object of config keys -> non-empty lists of values");
    }
    settings = [{}];
    for (const [key, values] of Object.entries(value.vary)) {
      if (!Array.isArray(values) || values.length === 0) {
        fail(source, `vary.${key}`, "expected a non-empty list of values");
      }
      const checked = values.map((v, i) =>
        checkSettings(
          rules,
          { [key]: v },
          source,
          "vary",
          () => `vary.${key}[${i}]`,
        )[key as keyof C]
      ).map((v, i) => {
        if (values.slice(0, i).some((w) => JSON.stringify(w) === JSON.stringify(v))) {
          fail(source, `vary.${key}[${i}]`, `repeats ${JSON.stringify(v)}`);
        }
        return v;
      });
      settings = settings.flatMap((s) => checked.map((v) => ({ ...s, [key]: v })));
    }
  } else if (value.cells !== undefined) {
    if (!Array.isArray(value.cells) || value.cells.length === 0) {
      fail(source, "cells", "expected a non-empty list of settings objects");
    }
    settings = value.cells.map((c, i) => checkSettings(rules, c, source, `cells[${i}]`));
  } else {
    settings = [{}];
  }
  const names = settings.map(settingsName);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) {
      fail(source, `cells[${i}]`, `same settings as cells[${names.indexOf(n)}]`);
    }
  });
  let baseline: Partial<C> | null = null;
  if (value.baseline !== undefined) {
    const wanted = checkSettings(rules, value.baseline, source, "baseline");
    baseline = settings.find((s) => settingsName(s) === settingsName(wanted)) ?? null;
    if (baseline === null) {
      fail(source, "baseline", `no cell has exactly these settings (${settingsName(wanted)})`);
    }
  }
  const extra = Object.fromEntries(
    (rules.extraKeys ?? []).filter((k) => k in value).map((k) => [k, value[k]]),
  );
  const grid: SweepGrid<C> = { name: value.name, claim, base, settings, seeds, baseline, extra };
  // every cell must pass the trainer's cross-setting checks before anything runs
  for (const cell of gridCells(grid)) {
    try {
      rules.checkCell(cell.config);
    } catch (error) {
      throw new UsageError(`${source}: cell ${cell.name}: ${(error as Error).message}`);
    }
  }
  return grid;
}

/** The cells of a grid: every settings combination x every seed, settings-major. */
export function gridCells<C extends object>(grid: SweepGrid<C>): SweepCell<C>[] {
  return grid.settings.flatMap((settings) =>
    grid.seeds.map((seed) => {
      const group = settingsName(settings);
      return {
        name: `${group}_seed-${seed}`,
        group,
        settings,
        seed,
        config: { ...grid.base, ...settings, seed },
      };
    })
  );
}

/** A cell waiting to run: new, or cut off earlier and to be resumed. */
export interface PendingCell<C extends object = TrainConfig> {
  readonly cell: SweepCell<C>;
  readonly state: "new" | "resume";
}

/**
 * The order a grid's pending cells run in: cut-off cells first (their work is half done), then seed
 * by seed, every setting of seed 0 before any of seed 1, so a grid stopped early holds whole seeds
 * for its paired comparisons instead of whole settings with nothing to compare them to. Within a
 * seed, cells keep grid order; seeds go in `seeds`'s order (the grid's). Pure; the input is not
 * changed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { gridCells, parseGrid, runOrder, TRAIN_GRID_RULES } from "./sweep_grid.ts";
 * const grid = parseGrid({ name: "g", claim: "", vary: { groupSize: [2, 4] }, seeds: [0, 1] },
 *   "g.json", TRAIN_GRID_RULES);
 * const pending = gridCells(grid).map((cell) => ({
 *   cell, state: cell.name === "group-size-4_seed-1" ? "resume" as const : "new" as const,
 * }));
 * assertEquals(runOrder(pending, grid.seeds).map((p) => p.cell.name), [
 *   "group-size-4_seed-1", "group-size-2_seed-0", "group-size-4_seed-0", "group-size-2_seed-1",
 * ]);
 * // seed 0 still comes first when a cut-off cell of seed 1 is first in grid order
 * const early = gridCells(grid).filter((c) => c.name !== "group-size-2_seed-0").map((cell) => ({
 *   cell, state: cell.name === "group-size-2_seed-1" ? "resume" as const : "new" as const,
 * }));
 * assertEquals(runOrder(early, grid.seeds).map((p) => p.cell.name), [
 *   "group-size-2_seed-1", "group-size-4_seed-0", "group-size-4_seed-1",
 * ]);
 * ```
 */
export function runOrder<C extends object, P extends PendingCell<C>>(
  pending: readonly P[],
  seeds: readonly number[],
): P[] {
  // the grid's seed order, not the order seeds first appear among the pending cells
  const rank = (p: P) => (p.state === "resume" ? -1 : seeds.indexOf(p.cell.seed));
  return pending.map((p, i) => ({ p, i }))
    .sort((x, y) => rank(x.p) - rank(y.p) || x.i - y.i)
    .map(({ p }) => p);
}
