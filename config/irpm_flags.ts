/**
 * The IRPM reward flags that `deno task train` and `deno task rewards` share, declared once so both
 * CLIs (and train's JSON config check) accept the same values with the same messages.
 *
 * @example
 * ```ts
 * import { ALPHA_FLAG, MARGIN_FLAG } from "./irpm_flags.ts";
 * import { parseFlags } from "./flags.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const schema = { margin: MARGIN_FLAG, alpha: ALPHA_FLAG };
 * assertEquals(parseFlags(["--margin", "0.5", "--alpha", "0.1"], schema).values, { margin: 0.5, alpha: 0.1 });
 * assertThrows(() => parseFlags(["--margin", "-1"], schema), Error, '--margin: expected a number >= 0, got "-1"');
 * ```
 * @module
 */
import type { NumberFlagSpec, NumberOrFlagSpec } from "./flags.ts";

/**
 * `--margin adaptive|<number>`. `adaptive` is delta = strength - 2 (negative for weak pairs, by
 * design); a fixed delta must be >= 0, since a negative one lets a chosen rollout that scores
 * below the rejected group's bar still win.
 */
export const MARGIN_FLAG: Readonly<NumberOrFlagSpec> = Object.freeze({
  kind: "number-or",
  words: Object.freeze(["adaptive"]),
  min: 0,
  help: "margin delta: strength - 2, or fixed >= 0",
});

/**
 * `--alpha <number>`: the interval design's two-sided level. At most 0.5 (a 50% interval; larger
 * values shrink it towards the bare mean), at least 1e-6 (the t quantile stays finite).
 */
export const ALPHA_FLAG: Readonly<NumberFlagSpec> = Object.freeze({
  kind: "number",
  min: 1e-6,
  max: 0.5,
  help: "interval design: t-interval alpha, 1e-6..0.5",
});
