/**
 * The registry of synthetic task domains, chosen by name at the edge.
 *
 * @module
 */
import { arithDomain } from "./arith.ts";
import { reverseDomain } from "./reverse.ts";
import { sortDomain } from "./sort.ts";
import type { SyntheticDomain, SyntheticTask } from "./task.ts";

/** Every synthetic domain by name. */
export const SYNTHETIC_DOMAINS: Readonly<Record<string, SyntheticDomain>> = Object.freeze({
  arith: arithDomain,
  reverse: reverseDomain,
  sort: sortDomain,
});

/**
 * Looks up domains by name (default: all, in registry order); throws a RangeError quoting an
 * unknown name.
 *
 * @example
 * ```ts
 * import { syntheticDomains } from "./domains.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(syntheticDomains().map((d) => d.name), ["arith", "reverse", "sort"]);
 * assertThrows(() => syntheticDomains(["copy"]), RangeError, '"copy"');
 * ```
 */
export function syntheticDomains(names?: readonly string[]): SyntheticDomain[] {
  const wanted = names ?? Object.keys(SYNTHETIC_DOMAINS);
  if (wanted.length === 0) throw new RangeError("domains must not be empty");
  return wanted.map((name) => {
    const domain = Object.hasOwn(SYNTHETIC_DOMAINS, name) ? SYNTHETIC_DOMAINS[name] : undefined;
    if (!domain) {
      throw new RangeError(
        `unknown synthetic domain "${name}" (known: ${Object.keys(SYNTHETIC_DOMAINS).join(", ")})`,
      );
    }
    return domain;
  });
}

/**
 * Recovers the task behind a prompt (e.g. from a pair's context), or `undefined` if no domain
 * recognises it. Lets an evaluator check a model's critique from the prompt alone.
 *
 * @example
 * ```ts
 * import { parseSyntheticPrompt } from "./domains.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseSyntheticPrompt("sort 5213"), { domain: "sort", prompt: "sort 5213", answer: "1235" });
 * assertEquals(parseSyntheticPrompt("hello"), undefined);
 * ```
 */
export function parseSyntheticPrompt(prompt: string): SyntheticTask | undefined {
  for (const domain of Object.values(SYNTHETIC_DOMAINS)) {
    const answer = domain.solve(prompt);
    if (answer !== undefined) return { domain: domain.name, prompt, answer };
  }
  return undefined;
}
