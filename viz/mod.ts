/**
 * Plots for notebooks and reports, in plain TypeScript (no DOM).
 *
 * A chart is a plotly figure JSON ({@link Figure}) made by a builder ({@link lineChart},
 * {@link barChart}, {@link histogram}, {@link boxPlot}). It is shown three ways at once:
 * interactive through plotly.js, as a static SVG drawn here ({@link svgFigure}) for viewers that
 * run no JavaScript, and as a text summary. {@link mimeBundle} packs all of them for Jupyter, with
 * plotly.js inlined once per {@link PlotSession}; {@link plotDisplay} makes the Deno kernel show a
 * bundle; {@link selfContainedHtml} writes a report page. Reading the plotly.js file is the only
 * I/O ({@link loadPlotlyJs}).
 *
 * ```ts ignore
 * import { createPlotSession, figureDisplay, lineChart, loadPlotlyJs } from "../viz/mod.ts";
 * const session = createPlotSession({ plotlyJs: await loadPlotlyJs(), idPrefix: "nb01" });
 * await Deno.jupyter.display(figureDisplay(lineChart([{ x: [1, 2], y: [3, 4] }]), { session }));
 * ```
 *
 * @module
 */
export * from "./figure.ts";
export * from "./charts.ts";
export * from "./scale.ts";
export * from "./trace_stats.ts";
export * from "./svg_figure.ts";
export * from "./text_summary.ts";
export * from "./load_plotly.ts";
export * from "./plot_session.ts";
export * from "./plot_html.ts";
export * from "./mime_bundle.ts";
export * from "./display.ts";
export * from "./html_report.ts";
