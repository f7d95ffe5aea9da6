/**
 * `deno task rewards`: IRPM rewards for GRM rollouts. JSONL on stdin, JSONL on stdout, and no
 * permissions needed (it reads stdin and writes stdout/stderr only).
 *
 * Input, one rollout a line (other fields are ignored):
 *   {"pair": "<id>", "side": "chosen" | "rejected", "strength": <0..3>, "text": "<GRM output>"}
 * plus an optional `"id"` (a string or a number), echoed first on the rollout's output line so a
 * caller can match answers to rollouts. Rollouts sharing `pair` form that pair's two groups.
 * Output, one line per non-blank input line, in input order:
 *   {["id": <id>,] "reward": n, "score": n, "format_penalty": 0 | -0.5, "valid": bool}
 * Any bad input exits with status 2 and one message on stderr naming the line (1-based) and
 * field, the pair, or the flag; nothing is written to stdout then (everything is computed first).
 * Stdin must be UTF-8: an invalid byte is such an error (`stdin:3: not valid UTF-8 (byte 0xff at
 * column 7)`), never a silent U+FFFD that could merge two pair ids.
 *
 * @example
 * ```ts
 * import { runRewardsCli } from "./rewards.ts";
 * import { assertEquals } from "@std/assert";
 * const line = (side: string, score: number) =>
 *   JSON.stringify({ pair: "p", side, strength: 2, text: `<critique>ok</critique><score>${score}</score>` });
 * const result = runRewardsCli([], [line("chosen", 7), line("rejected", 5)].join("\n"));
 * assertEquals(result.code, 0);
 * assertEquals(result.stdout, '{"reward":1,"score":7,"format_penalty":0,"valid":true}\n' +
 *   '{"reward":1,"score":5,"format_penalty":0,"valid":true}\n');
 * ```
 * @module
 */
import { DataError, decodeUtf8 } from "../data/jsonl.ts";
import { PairError, parseRolloutLines, type RewardLine, scoreRollouts } from "../data/rollouts.ts";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { ALPHA_FLAG, MARGIN_FLAG } from "../config/irpm_flags.ts";
import { DEFAULT_ALPHA, type DesignName, designNames, type MarginSpec } from "../irpm/mod.ts";

/** Settings of one `rewards` run; flags only fill this object. */
export type RewardsArgs = {
  /** Reward design. Default `mean`: the released main recipe. */
  design: DesignName;
  /** `"adaptive"` (delta = strength - 2) or a fixed delta >= 0. Default `adaptive`, as in the paper. */
  margin: MarginSpec;
  /** Two-sided level of the interval design, in [1e-6, 0.5]. Default 0.05: a 95% interval. */
  alpha: number;
  /** `--help` was given: print usage, exit 0. */
  help: boolean;
};

/** Defaults of {@link RewardsArgs}, in one place. */
export const REWARDS_DEFAULTS: Readonly<RewardsArgs> = Object.freeze({
  design: "mean",
  margin: "adaptive",
  alpha: DEFAULT_ALPHA,
  help: false,
});

const SCHEMA: FlagSchema = {
  design: { kind: "choice", choices: designNames, help: "reward design" },
  // Shared with `deno task train`, so both accept the same margins and levels.
  margin: MARGIN_FLAG,
  alpha: ALPHA_FLAG,
};

/** The `--help` text. */
export const REWARDS_USAGE: string = [
  "Usage: deno task rewards [options] < rollouts.jsonl > rewards.jsonl",
  "",
  "Reads one GRM rollout per line:",
  '  {"pair": "<id>", "side": "chosen"|"rejected", "strength": <0..3>, "text": "<GRM output>"}',
  '(optionally "id": a string or number, echoed on its output line), groups the rollouts of',
  "each pair, and writes one line per rollout, in input order:",
  '  {["id": <id>,] "reward": n, "score": n, "format_penalty": 0|-0.5, "valid": true|false}',
  "An unparseable rollout scores 0 (chosen) or 10 (rejected) and pays -0.5.",
  "Bad input: exit status 2, a message on stderr, nothing on stdout.",
  "",
  "Options:",
  formatHelp(SCHEMA, REWARDS_DEFAULTS),
  "  --help, -h".padEnd(44) + "this text",
].join("\n");

/**
 * Parses the command line into {@link RewardsArgs}. Throws {@link UsageError} naming the flag
 * and quoting the value (unknown flag, bad value, missing value, stray argument).
 *
 * @example
 * ```ts
 * import { parseRewardsArgs } from "./rewards.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseRewardsArgs(["--design", "median", "--margin=0.5"]).margin, 0.5);
 * assertThrows(() => parseRewardsArgs(["--margin", "abc"]), Error, '--margin: expected a number or adaptive, got "abc"');
 * ```
 */
export function parseRewardsArgs(argv: readonly string[]): RewardsArgs {
  const { values, positional, help } = parseFlags(argv, SCHEMA);
  if (positional.length > 0) {
    throw new UsageError(`unexpected argument "${positional[0]}" (input is read from stdin)`);
  }
  return {
    design: (values.design as DesignName | undefined) ?? REWARDS_DEFAULTS.design,
    margin: (values.margin as MarginSpec | undefined) ?? REWARDS_DEFAULTS.margin,
    alpha: (values.alpha as number | undefined) ?? REWARDS_DEFAULTS.alpha,
    help,
  };
}

const SOURCE = "stdin";

// The contract itself lives in data/rollouts.ts (the server uses it too); re-exported here.
export {
  PairError,
  parseRolloutLines,
  parseRolloutValue,
  type RewardLine,
  type RolloutRecord,
  type RolloutScoring,
  scoreRollouts,
} from "../data/rollouts.ts";

/**
 * Scores JSONL rollouts ({@link parseRolloutLines}, then {@link scoreRollouts}). Throws
 * DataError (bad line) or {@link PairError} (bad pair).
 *
 * @example
 * ```ts
 * import { scoreRolloutLines } from "./rewards.ts";
 * import { assertEquals } from "@std/assert";
 * const row = (side: string, text: string) => JSON.stringify({ pair: "p", side, strength: 3, text });
 * const lines = scoreRolloutLines(
 *   [row("chosen", "<critique></critique><score>9</score>"), row("rejected", "oops")].join("\n"),
 *   { design: "mean", margin: "adaptive", alpha: 0.05 },
 * );
 * // S_r = [10 stand-in]: 9 > 10 + 1 fails -> -1; S_c = [9]: 10 < 9 - 1 fails -> -1 - 0.5
 * assertEquals(lines.map((l) => l.reward), [-1, -1.5]);
 * ```
 */
export function scoreRolloutLines(
  text: string,
  options: Pick<RewardsArgs, "design" | "margin" | "alpha">,
): RewardLine[] {
  return scoreRollouts(parseRolloutLines(text), options);
}

/** Outcome of one CLI run: what to write and the exit status. */
export type CliResult = { code: number; stdout: string; stderr: string };

/**
 * The whole CLI as a pure function of argv and stdin (text, or bytes decoded as strict UTF-8):
 * status 0 with the JSONL output, 0 with usage for `--help`, or 2 with one error line on stderr
 * and nothing on stdout.
 *
 * @example
 * ```ts
 * import { runRewardsCli } from "./rewards.ts";
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 * const result = runRewardsCli(["--design", "avg"], "");
 * assertEquals([result.code, result.stdout], [2, ""]);
 * assertStringIncludes(result.stderr, "--design");
 * ```
 */
export function runRewardsCli(argv: readonly string[], stdin: string | Uint8Array): CliResult {
  try {
    const args = parseRewardsArgs(argv);
    if (args.help) return { code: 0, stdout: REWARDS_USAGE + "\n", stderr: "" };
    const text = typeof stdin === "string" ? stdin : decodeUtf8(stdin, SOURCE);
    const lines = scoreRolloutLines(text, args);
    return {
      code: 0,
      stdout: lines.map((line) => JSON.stringify(line) + "\n").join(""),
      stderr: "",
    };
  } catch (error) {
    if (error instanceof UsageError || error instanceof DataError || error instanceof PairError) {
      return { code: 2, stdout: "", stderr: `rewards: ${error.message}\n` };
    }
    throw error;
  }
}

async function writeAll(stream: { write(bytes: Uint8Array): Promise<number> }, text: string) {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length;) offset += await stream.write(bytes.subarray(offset));
}

if (import.meta.main) {
  // Bytes, not `.text()`: that would turn invalid UTF-8 into U+FFFD without a word.
  const stdin = new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
  const result = runRewardsCli(Deno.args, stdin);
  await writeAll(Deno.stdout, result.stdout);
  await writeAll(Deno.stderr, result.stderr);
  Deno.exit(result.code);
}
