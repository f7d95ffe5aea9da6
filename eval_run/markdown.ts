/**
 * Markdown tables for evaluation reports (pure string building; the CLIs print them).
 *
 * @module
 */

/**
 * A GitHub-flavoured markdown table; `|` inside a cell is escaped.
 *
 * @example
 * ```ts
 * import { markdownTable } from "./markdown.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(markdownTable(["a", "b"], [["1", "x|y"]]), "| a | b |\n|---|---|\n| 1 | x\\|y |");
 * ```
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(
        `markdownTable: row ${i} has ${row.length} cells, the header ${header.length}`,
      );
    }
  });
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

/**
 * A share as a percentage with one decimal; "n/a" for NaN, null or undefined.
 *
 * @example
 * ```ts
 * import { pct } from "./markdown.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([pct(0.8125), pct(NaN), pct(undefined)], ["81.3%", "n/a", "n/a"]);
 * ```
 */
export function pct(x: number | null | undefined): string {
  return typeof x === "number" && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "n/a";
}

/**
 * A number with `digits` decimals; "n/a" for NaN, null or undefined.
 *
 * @example
 * ```ts
 * import { num } from "./markdown.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([num(0.12345, 3), num(null)], ["0.123", "n/a"]);
 * ```
 */
export function num(x: number | null | undefined, digits = 2): string {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}
