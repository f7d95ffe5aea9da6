/**
 * A small schema-driven flag parser shared by the kit's CLIs.
 *
 * Each option is declared once (flag name, kind, default, one-line help); the same schema fills
 * the typed config object, validates values and writes `--help`. Unknown flags and bad values throw
 * a {@link UsageError} that names the flag and quotes the value.
 *
 * @module
 */

/** A usage error: the CLI prints its message and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A number option: `min`/`max` inclusive, `above` an exclusive minimum (`> 0`). */
export type NumberFlagSpec = {
  kind: "number";
  help: string;
  min?: number;
  max?: number;
  above?: number;
  integer?: boolean;
};

/** A number option that also takes fixed words (`--margin adaptive|<number>`). */
export type NumberOrFlagSpec = {
  kind: "number-or";
  help: string;
  words: readonly string[];
  min?: number;
};

/** One option of a CLI. */
export type FlagSpec =
  | NumberFlagSpec
  | { kind: "string"; help: string }
  | { kind: "boolean"; help: string }
  | { kind: "choice"; help: string; choices: readonly string[] }
  | NumberOrFlagSpec;

/** Flag name (without dashes) -> spec. */
export type FlagSchema = Record<string, FlagSpec>;

/** Parsed flag values (only the flags given), plus positional arguments. */
export interface ParsedFlags {
  values: Record<string, string | number | boolean>;
  positional: string[];
  help: boolean;
  /** One line per old flag name used (see `renamed` of {@link parseFlags}), for the CLI to print. */
  notes: string[];
}

// Plain decimal only: `Number()` alone reads "0x10" as 16, "0b1" as 1, " 7 " as 7 and "Infinity"
// as Infinity, so a typo could silently become another setting.
const PLAIN_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads a flag's text as a plain decimal number (`-1`, `1.5`, `.5`, `1e-4`, `3E2`, `+2`), or
 * NaN for anything else: hex/octal/binary, `1_000`, `Infinity`, surrounding spaces, empty text,
 * a lone sign, `1e`, or a value out of double range (`1e999`).
 *
 * @example
 * ```ts
 * import { parseDecimal } from "./flags.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([parseDecimal("1e-4"), parseDecimal(".5"), parseDecimal("+2")], [1e-4, 0.5, 2]);
 * assertEquals([parseDecimal("0x10"), parseDecimal(" 7"), parseDecimal("Infinity")], [NaN, NaN, NaN]);
 * ```
 */
export function parseDecimal(text: string): number {
  if (!PLAIN_DECIMAL.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/**
 * What a number must be to pass a number flag's checks (finite, integer, `min`, `above`, `max`),
 * as the phrase after "expected", or null when `value` passes. Shared by the flag parser and
 * checkers of the same settings from other sources (JSON config files).
 *
 * @example
 * ```ts
 * import { numberFlagProblem } from "./flags.ts";
 * import { assertEquals } from "@std/assert";
 * const topP = { kind: "number", above: 0, max: 1, help: "nucleus sampling" } as const;
 * assertEquals(numberFlagProblem(topP, 0), "a number > 0");
 * assertEquals(numberFlagProblem(topP, 0.9), null);
 * ```
 */
export function numberFlagProblem(
  spec: NumberFlagSpec | NumberOrFlagSpec,
  value: number,
): string | null {
  const words = spec.kind === "number-or" ? ` or ${spec.words.join(", ")}` : "";
  if (typeof value !== "number" || !Number.isFinite(value)) return `a number${words}`;
  if (spec.kind === "number" && spec.integer && !Number.isInteger(value)) return "an integer";
  if (spec.min !== undefined && value < spec.min) return `a number >= ${spec.min}`;
  if (spec.kind === "number" && spec.above !== undefined && !(value > spec.above)) {
    return `a number > ${spec.above}`;
  }
  if (spec.kind === "number" && spec.max !== undefined && value > spec.max) {
    return `a number <= ${spec.max}`;
  }
  return null;
}

function parseValue(flag: string, spec: FlagSpec, raw: string): string | number | boolean {
  const bad = (want: string) => new UsageError(`--${flag}: expected ${want}, got "${raw}"`);
  switch (spec.kind) {
    case "string":
      return raw;
    case "boolean":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw bad("true or false");
    case "choice":
      if (spec.choices.includes(raw)) return raw;
      throw bad(`one of ${spec.choices.join(", ")}`);
    case "number-or":
      if (spec.words.includes(raw)) return raw;
    // falls through
    case "number": {
      const value = parseDecimal(raw);
      // A non-number given to an integer flag reads "expected an integer", not "a number".
      const integer = spec.kind === "number" && spec.integer === true;
      if (Number.isNaN(value) && integer) throw bad("an integer");
      const problem = numberFlagProblem(spec, value);
      if (problem !== null) throw bad(problem);
      return value;
    }
  }
}

/**
 * Parses `argv` against a schema. Accepts `--flag value`, `--flag=value`, and bare `--flag` for
 * booleans (`--no-flag` sets false).
 *
 * @example
 * ```ts
 * import { parseFlags } from "./flags.ts";
 * import { assertEquals } from "@std/assert";
 * const schema = {
 *   design: { kind: "choice", choices: ["mean", "median"], help: "reward design" },
 *   margin: { kind: "number-or", words: ["adaptive"], help: "margin" },
 * } as const;
 * const parsed = parseFlags(["--design=median", "--margin", "0.5"], schema);
 * assertEquals(parsed.values, { design: "median", margin: 0.5 });
 * // an old flag name, listed in `renamed`, still works and leaves a note
 * const old = parseFlags(["--reward-design", "median"], schema, { "reward-design": "design" });
 * assertEquals([old.values, old.notes], [{ design: "median" }, ["--reward-design is now --design (the old name still works)"]]);
 * ```
 */
export function parseFlags(
  argv: readonly string[],
  schema: FlagSchema,
  renamed: Readonly<Record<string, string>> = {},
): ParsedFlags {
  const values: Record<string, string | number | boolean> = {};
  const positional: string[] = [];
  const notes: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let raw: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (!(name in schema) && Object.hasOwn(renamed, name)) {
      notes.push(`--${name} is now --${renamed[name]} (the old name still works)`);
      name = renamed[name];
    }
    if (!(name in schema) && name.startsWith("no-") && schema[name.slice(3)]?.kind === "boolean") {
      if (raw !== undefined) throw new UsageError(`--${name} takes no value, got "${raw}"`);
      name = name.slice(3);
      raw = "false";
    }
    const spec = schema[name];
    if (!spec) {
      const near = closestFlag(name, Object.keys(schema));
      throw new UsageError(
        `unknown flag "--${name}"${near === null ? "" : `; did you mean --${near}?`} (see --help)`,
      );
    }
    if (raw === undefined) {
      if (spec.kind === "boolean") {
        const next = argv[i + 1];
        raw = next === "true" || next === "false" ? (i++, next) : "true";
      } else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name}: missing value`);
        if (/^--[a-z]/i.test(argv[i + 1])) {
          // `--json --no-uncached` must not write a file named "--no-uncached"
          throw new UsageError(
            `--${name}: missing value (the next argument, ${argv[i + 1]}, is a flag)`,
          );
        }
        raw = argv[++i];
      }
    }
    values[name] = parseValue(name, spec, raw);
  }
  return { values, positional, help, notes };
}

/**
 * The known flag a mistyped one most likely meant: the same name with `_` for `-` or in another
 * case, else the nearest by edit distance when it is at most 2 (and less than half the name), else
 * null.
 *
 * @example
 * ```ts
 * import { closestFlag } from "./flags.ts";
 * import { assertEquals } from "@std/assert";
 * const names = ["steps", "kl-coef", "group-size", "seed"];
 * assertEquals(closestFlag("kl_coef", names), "kl-coef");
 * assertEquals(closestFlag("step", names), "steps");
 * assertEquals(closestFlag("grop-size", names), "group-size");
 * assertEquals(closestFlag("xyz", names), null);
 * ```
 */
export function closestFlag(name: string, names: readonly string[]): string | null {
  const norm = (n: string) => n.toLowerCase().replaceAll("_", "-");
  const same = names.find((n) => norm(n) === norm(name));
  if (same !== undefined) return same;
  let best: string | null = null, bestDistance = Infinity;
  for (const candidate of names) {
    const d = editDistance(norm(name), norm(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= 2 && bestDistance < name.length / 2 ? best : null;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * Formats the option list for `--help`, one flag a line with its default.
 *
 * @example
 * ```ts
 * import { formatHelp } from "./flags.ts";
 * import { assertStringIncludes } from "@std/assert";
 * const text = formatHelp({ alpha: { kind: "number", help: "t-interval level" } }, { alpha: 0.05 });
 * assertStringIncludes(text, "--alpha <number>");
 * assertStringIncludes(text, "(default 0.05)");
 * ```
 */
export function formatHelp(schema: FlagSchema, defaults: Record<string, unknown> = {}): string {
  const rows = Object.entries(schema).map(([name, spec]) => {
    const arg = spec.kind === "boolean"
      ? ""
      : spec.kind === "choice"
      ? ` ${spec.choices.join("|")}`
      : spec.kind === "number-or"
      ? ` ${spec.words.join("|")}|<number>`
      : ` <${spec.kind}>`;
    const fallback = defaults[name];
    const shown = fallback === undefined || fallback === null ? "" : ` (default ${fallback})`;
    return [`  --${name}${arg}`, `${spec.help}${shown}`];
  });
  const width = Math.min(44, Math.max(...rows.map(([left]) => left.length)) + 2);
  return rows
    .map(([left, right]) =>
      left.length + 1 > width ? `${left}\n${" ".repeat(width)}${right}` : left.padEnd(width) + right
    )
    .join("\n");
}

/**
 * Flag name -> config key: `kl-coef` -> `klCoef`.
 *
 * @example
 * ```ts
 * import { camelToKebab, kebabToCamel } from "./flags.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([kebabToCamel("kl-coef"), camelToKebab("klCoef")], ["klCoef", "kl-coef"]);
 * ```
 */
export function kebabToCamel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Config key -> flag name: `klCoef` -> `kl-coef`. */
export function camelToKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}
