/**
 * HTML pieces shared by notebook bundles and reports: the one-time plotly.js `<script>` and the
 * per-figure `<div>` + `<script>` that draws it with `window.Plotly`.
 *
 * @module
 */
import type { Figure } from "./figure.ts";
import type { PlotlyJs } from "./load_plotly.ts";
import { escapeXml } from "./svg.ts";

/**
 * JSON that is safe inside an HTML `<script>`: `<` becomes `\u003c` (no `</script>` or `<!--` can
 * appear) and the JS line separators U+2028/U+2029 are escaped.
 *
 * @example
 * ```ts
 * import { scriptJson } from "./plot_html.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(scriptJson({ t: "</script>" }), '{"t":"\\u003c/script>"}');
 * assertEquals(JSON.parse(scriptJson({ t: "</script>" })), { t: "</script>" });
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The `<script>` that defines `window.Plotly`, with any `</script` inside the bundle written as
 * `<\/script` (same string to JavaScript, but it cannot end the HTML element).
 *
 * @example
 * ```ts
 * import { plotlyScriptTag } from "./plot_html.ts";
 * import { assertEquals } from "@std/assert";
 * const tag = plotlyScriptTag({ source: 'window.Plotly = {s: "</script>"};', version: "0", specifier: "x" });
 * assertEquals(tag.match(/<\/script>/g)?.length, 1); // only the real closing tag
 * ```
 */
export function plotlyScriptTag(plotlyJs: PlotlyJs): string {
  const source = plotlyJs.source.replace(/<\/script/gi, "<\\/script");
  return `<script type="text/javascript">/* plotly.js v${plotlyJs.version}, inlined once */\n${source}\n</script>`;
}

/**
 * The element's id, the size of the plot's box, and the static SVG shown until (or unless)
 * plotly.js draws.
 */
export type PlotDivOptions = { id: string; width: number; height: number; fallbackSvg?: string };

/**
 * A `<div id>` holding the static SVG fallback, and a script that replaces it with an interactive
 * plotly chart once `window.Plotly` exists (it retries for 10 s, so a bundle rendered before the
 * one that inlines plotly.js still draws).
 *
 * @example
 * ```ts
 * import { plotDiv } from "./plot_html.ts";
 * import { assertStringIncludes } from "@std/assert";
 * const html = plotDiv({ data: [], layout: {} }, { id: "p1", width: 700, height: 450 });
 * assertStringIncludes(html, '<div id="p1"');
 * assertStringIncludes(html, 'Plotly.newPlot(el, figure.data, figure.layout');
 * ```
 */
export function plotDiv(figure: Figure, options: PlotDivOptions): string {
  const { id } = options;
  const style = `width:100%;max-width:${options.width}px;height:${options.height}px;`;
  const idJson = scriptJson(id);
  return `<div id="${escapeXml(id)}" class="irpm-plot" style="${style}">${
    options.fallbackSvg ?? ""
  }</div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var figure = ${scriptJson(figure)};\n` +
    `  var tries = 0;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(${idJson});\n` +
    `    if (!el) return;\n` +
    `    if (window.Plotly) { el.innerHTML = ""; window.Plotly.newPlot(el, figure.data, figure.layout, { responsive: true }); }\n` +
    `    else if (tries++ < 100) setTimeout(draw, 100);\n` +
    `  }\n` +
    `  draw();\n` +
    `})();</script>`;
}
