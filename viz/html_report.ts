/**
 * A self-contained HTML page of figures: plotly.js inlined once in the head (when given), each
 * figure drawn interactively, and its static SVG inside `<noscript>` for readers without JS.
 *
 * @module
 */
import type { Figure } from "./figure.ts";
import type { PlotlyJs } from "./load_plotly.ts";
import { plotDiv, plotlyScriptTag } from "./plot_html.ts";
import { escapeXml } from "./svg.ts";
import { svgFigure, type SvgOptions } from "./svg_figure.ts";

/** Options of {@link selfContainedHtml}. */
export type HtmlReportOptions = {
  /** Page title and top heading. */
  title?: string;
  /** The plotly.js bundle to inline; without it the page is static SVG only (no scripts). */
  plotlyJs?: PlotlyJs;
  /** One caption per figure (same order); missing ones are left out. */
  captions?: readonly string[];
  /** Prefix of the plot ids (`fig` gives `fig-1`, `fig-2`, ...). */
  idPrefix?: string;
  svg?: SvgOptions;
};

/**
 * Builds the page. With `plotlyJs`, plotly.js appears exactly once however many figures there are.
 *
 * @example
 * ```ts
 * import { selfContainedHtml } from "./html_report.ts";
 * import { lineChart } from "./charts.ts";
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 * const fig = lineChart([{ x: [0, 1], y: [0, 1] }]);
 * const page = selfContainedHtml([fig, fig], { title: "run 7" });
 * assertStringIncludes(page, "<title>run 7</title>");
 * assertEquals(page.includes("<script"), false); // no plotlyJs: static SVG only
 * assertEquals(page.match(/<svg /g)?.length, 2);
 * ```
 */
export function selfContainedHtml(
  figures: readonly Figure[],
  options: HtmlReportOptions = {},
): string {
  const title = options.title ?? "IRPM Kit report";
  const idPrefix = options.idPrefix ?? "fig";
  const sections = figures.map((figure, i) => {
    const width = options.svg?.width ?? figure.layout.width ?? 700;
    const height = options.svg?.height ?? figure.layout.height ?? 450;
    const svg = svgFigure(figure, { ...options.svg, width, height });
    const caption = options.captions?.[i];
    const id = `${idPrefix}-${i + 1}`;
    const body = options.plotlyJs
      ? `${plotDiv(figure, { id, width, height })}\n<noscript>${svg}</noscript>`
      : svg;
    return `<figure>\n${body}\n${
      caption ? `<figcaption>${escapeXml(caption)}</figcaption>\n` : ""
    }</figure>`;
  });
  const head = [
    `<meta charset="utf-8">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#2a3f5f}` +
    `figure{margin:2em 0}figcaption{margin-top:.5em}</style>`,
    options.plotlyJs ? plotlyScriptTag(options.plotlyJs) : "",
  ].filter((line) => line !== "");
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n${head.join("\n")}\n</head>\n<body>\n` +
    `<h1>${escapeXml(title)}</h1>\n${sections.join("\n")}\n</body>\n</html>\n`;
}
