/**
 * Reads the plotly.js browser bundle from the npm package, so a notebook or HTML report can inline
 * it (the kernel machines and report readers may be offline: no CDN). This is the viz folder's only
 * file I/O; everything else takes the loaded {@link PlotlyJs} as a value.
 *
 * @module
 */

// Type-only import (erased at run time): it puts the package into the module graph, so that
// `deno test` / `deno check` on a fresh clone install it into node_modules for loadPlotlyJs.
import type {} from "plotly.js-dist";

/** The plotly.js source text, its version and the import-map name it was read through. */
export type PlotlyJs = {
  readonly source: string;
  readonly version: string;
  readonly specifier: string;
};

/**
 * Import-map names tried in order: the minified bundle (~4.6 MB) when the import map has it, else
 * the full `plotly.js-dist` bundle (~11 MB) that `deno.json` maps today.
 */
export const plotlySpecifiers: readonly string[] = ["plotly.js-dist-min", "plotly.js-dist"];

/**
 * The version in a plotly.js bundle's banner comment (`plotly.js v3.1.0`), or "unknown".
 *
 * @example
 * ```ts
 * import { plotlyVersion } from "./load_plotly.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(plotlyVersion("/**\n* plotly.js v3.1.0\n* Copyright"), "3.1.0");
 * assertEquals(plotlyVersion("var x;"), "unknown");
 * ```
 */
export function plotlyVersion(source: string): string {
  return /plotly\.js v(\d+\.\d+\.\d+)/.exec(source.slice(0, 2000))?.[1] ?? "unknown";
}

/**
 * Loads the first plotly.js bundle found under `specifiers` (import-map names resolved with
 * `import.meta.resolve` to files in `node_modules`). Throws an Error listing every name tried and
 * why it failed (not in the import map, or not installed: run `deno install`).
 *
 * @example
 * ```ts ignore
 * import { loadPlotlyJs } from "./load_plotly.ts";
 * const plotlyJs = await loadPlotlyJs();
 * console.log(plotlyJs.version, plotlyJs.source.length);
 * ```
 */
export async function loadPlotlyJs(
  options: { specifiers?: readonly string[] } = {},
): Promise<PlotlyJs> {
  const specifiers = options.specifiers ?? plotlySpecifiers;
  const failures: string[] = [];
  for (const specifier of specifiers) {
    let url: URL;
    try {
      url = new URL(import.meta.resolve(specifier));
    } catch {
      failures.push(`${specifier}: not in the import map`);
      continue;
    }
    if (url.protocol !== "file:") {
      failures.push(`${specifier}: resolved to ${url.href}, not a file (run \`deno install\`)`);
      continue;
    }
    try {
      const source = await Deno.readTextFile(url);
      return { source, version: plotlyVersion(source), specifier };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      failures.push(`${specifier}: ${url.pathname} is missing (run \`deno install\`)`);
    }
  }
  throw new Error(`loadPlotlyJs: no plotly.js bundle found; tried ${failures.join("; ")}`);
}
