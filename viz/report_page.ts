/**
 * A run report page: {@link selfContainedHtml}'s figures with a header of summary lines above
 * them and tables below, as every run report of the kit is laid out.
 *
 * @module
 */
import type { Figure } from "./figure.ts";
import { selfContainedHtml } from "./html_report.ts";
import type { PlotlyJs } from "./load_plotly.ts";
import { escapeXml } from "./svg.ts";

/** A table of the page: a heading and rows of cells (text, escaped here). */
export interface ReportTable {
  readonly title: string;
  readonly rows: readonly (readonly string[])[];
}

/**
 * The page: title, summary lines, figures, tables.
 *
 * @example
 * ```ts
 * import { reportPage } from "./report_page.ts";
 * import { assertMatch } from "@std/assert";
 * const html = reportPage([], {
 *   title: "run <a>",
 *   summary: ["Step 3 of 3."],
 *   tables: [{ title: "Evaluations", rows: [["step 3", "quality 4.2"]] }],
 * });
 * assertMatch(html, /<h1>run &lt;a&gt;<\/h1>\n<section class="summary"><p>Step 3 of 3\.<\/p><\/section>/);
 * assertMatch(html, /<h2>Evaluations<\/h2><table><tr><td>step 3<\/td><td>quality 4\.2<\/td><\/tr><\/table>\n<\/body>/);
 * ```
 */
export function reportPage(
  figures: readonly Figure[],
  options: {
    title: string;
    summary: readonly string[];
    tables?: readonly ReportTable[];
    plotlyJs?: PlotlyJs;
  },
): string {
  const page = selfContainedHtml(figures, { title: options.title, plotlyJs: options.plotlyJs });
  const header = `<section class="summary">${
    options.summary.map((l) => `<p>${escapeXml(l)}</p>`).join("")
  }</section>\n`;
  const tables = (options.tables ?? []).map((t) =>
    `<h2>${escapeXml(t.title)}</h2><table>${
      t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`).join("")
    }</table>\n`
  ).join("");
  // Splice by index: String.replace would expand "$&", "$'"... inside the text.
  const start = page.indexOf("</h1>") + "</h1>".length;
  const end = page.lastIndexOf("</body>");
  return page.slice(0, start) + "\n" + header + page.slice(start, end) + tables + page.slice(end);
}
