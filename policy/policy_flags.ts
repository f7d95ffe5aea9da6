/**
 * The inverse of the policy CLI's flag parsing: a config object as `deno task policy` flags, so a
 * run's report and the grid runner can print or pass the exact command.
 *
 * @module
 */
import { camelToKebab } from "../config/flags.ts";

/**
 * Every set key of a config as `--key value` (nulls and undefined left out), in key order.
 *
 * @example
 * ```ts
 * import { policyFlags } from "./policy_flags.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(policyFlags({ judge: "irpm", samplesPerPrompt: 8, force: false, name: null }),
 *   ["--judge", "irpm", "--samples-per-prompt", "8", "--force", "false"]);
 * ```
 */
export function policyFlags(config: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(config).flatMap(([k, v]) =>
    v === null || v === undefined ? [] : [`--${camelToKebab(k)}`, String(v)]
  );
}
