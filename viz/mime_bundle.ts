/**
 * The Jupyter MIME bundle of a figure: every front end picks the richest part it can show.
 *
 * - `application/vnd.plotly.v1+json`: the figure JSON (JupyterLab, VS Code render it natively);
 * - `text/html`: a div + script drawing it with plotly.js (classic Notebook, nbconvert HTML), with
 *   plotly.js inlined by the first bundle of a {@link PlotSession} only;
 * - `image/svg+xml`: the static SVG, for viewers that run no JavaScript;
 * - `text/plain`: a short summary.
 *
 * @module
 */
import type { Figure } from "./figure.ts";
import { plotDiv } from "./plot_html.ts";
import type { PlotSession } from "./plot_session.ts";
import { svgFigure, type SvgOptions } from "./svg_figure.ts";
import { figureSummary } from "./text_summary.ts";

/** The four representations of one figure, keyed by MIME type. */
export type MimeBundle = {
  "application/vnd.plotly.v1+json": Figure;
  "text/html": string;
  "image/svg+xml": string;
  "text/plain": string;
};

/** Options of {@link mimeBundle}. */
export type MimeBundleOptions = {
  /**
   * The page's session: unique plot ids and plotly.js inlined once. Without one, the HTML relies
   * on `window.Plotly` being defined already and the id is derived from the figure's content.
   */
  session?: PlotSession;
  /** Size of both the SVG and the HTML plot box (default: layout size, else 700 x 450). */
  svg?: SvgOptions;
};

/**
 * FNV-1a 32-bit hash as 8 hex digits: h = (h xor byte) * 16777619 mod 2^32 from 2166136261,
 * over UTF-16 code units. Used for content-derived plot ids.
 *
 * @example
 * ```ts
 * import { fnv1a } from "./mime_bundle.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(fnv1a(""), "811c9dc5"); // the offset basis itself
 * assertEquals(fnv1a("a"), "e40c292c"); // the published FNV-1a test vector for "a"
 * ```
 */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * Builds the MIME bundle of `figure`. The figure JSON part is a deep copy, so later edits to the
 * figure do not change a bundle already displayed.
 *
 * @example
 * ```ts
 * import { mimeBundle } from "./mime_bundle.ts";
 * import { createPlotSession } from "./plot_session.ts";
 * import { barChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const session = createPlotSession({ idPrefix: "doc" });
 * const bundle = mimeBundle(barChart([{ categories: ["a"], values: [1] }]), { session });
 * assertEquals(Object.keys(bundle).sort(), ["application/vnd.plotly.v1+json", "image/svg+xml", "text/html", "text/plain"]);
 * assertEquals(bundle["text/html"].includes('id="doc-1"'), true);
 * ```
 */
export function mimeBundle(figure: Figure, options: MimeBundleOptions = {}): MimeBundle {
  const figureJson: Figure = structuredClone(figure);
  const width = options.svg?.width ?? figure.layout.width ?? 700;
  const height = options.svg?.height ?? figure.layout.height ?? 450;
  const svg = svgFigure(figure, { ...options.svg, width, height });
  const session = options.session;
  const id = session ? session.nextPlotId() : `irpm-plot-${fnv1a(JSON.stringify(figure))}`;
  const plotlyScript = session ? session.takePlotlyScript() : "";
  const div = plotDiv(figureJson, { id, width, height, fallbackSvg: svg });
  return {
    "application/vnd.plotly.v1+json": figureJson,
    "text/html": plotlyScript === "" ? div : `${plotlyScript}\n${div}`,
    "image/svg+xml": svg,
    "text/plain": figureSummary(figure),
  };
}
