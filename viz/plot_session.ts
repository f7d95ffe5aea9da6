/**
 * A plot session: the explicit state of one notebook or page. It hands out unique plot ids and
 * inlines plotly.js into the first HTML output only; later outputs use the `window.Plotly` that
 * the first one defined. A notebook creates one session in its first code cell.
 *
 * @module
 */
import type { PlotlyJs } from "./load_plotly.ts";
import { plotlyScriptTag } from "./plot_html.ts";

/** The mutable state of one page: plot id counter and whether plotly.js was inlined yet. */
export type PlotSession = {
  /** Prefix of every plot id, e.g. `bt01` gives `bt01-1`, `bt01-2`, ... */
  readonly idPrefix: string;
  /** True once {@link PlotSession.takePlotlyScript} has handed out the plotly.js script. */
  readonly plotlyInlined: boolean;
  /** A fresh element id for the next plot. */
  nextPlotId(): string;
  /**
   * The `<script>` with plotly.js the first time it is called, "" afterwards (and always "" for a
   * session created without `plotlyJs`, which trusts the page to provide `window.Plotly`).
   */
  takePlotlyScript(): string;
};

/** Options of {@link createPlotSession}. */
export type PlotSessionOptions = {
  /** The bundle to inline once; omit it when the page already loads plotly.js. */
  plotlyJs?: PlotlyJs;
  /** Id prefix; give each notebook its own so two open notebooks never share an id. */
  idPrefix?: string;
};

/**
 * Creates a session. Plotly.js is inlined at most once per session.
 *
 * @example
 * ```ts
 * import { createPlotSession } from "./plot_session.ts";
 * import { assertEquals } from "@std/assert";
 * const session = createPlotSession({ plotlyJs: { source: "window.Plotly={}", version: "0", specifier: "x" }, idPrefix: "nb" });
 * assertEquals([session.nextPlotId(), session.nextPlotId()], ["nb-1", "nb-2"]);
 * assertEquals(session.takePlotlyScript().includes("window.Plotly={}"), true);
 * assertEquals([session.takePlotlyScript(), session.plotlyInlined], ["", true]);
 * ```
 */
export function createPlotSession(options: PlotSessionOptions = {}): PlotSession {
  const idPrefix = options.idPrefix ?? "irpm-plot";
  if (!/^[A-Za-z][\w-]*$/.test(idPrefix)) {
    throw new RangeError(
      `createPlotSession: idPrefix must be a letter then [A-Za-z0-9_-], got "${idPrefix}"`,
    );
  }
  let plotCount = 0;
  let plotlyInlined = false;
  return {
    idPrefix,
    get plotlyInlined() {
      return plotlyInlined;
    },
    nextPlotId: () => `${idPrefix}-${++plotCount}`,
    takePlotlyScript() {
      if (plotlyInlined || options.plotlyJs === undefined) return "";
      plotlyInlined = true;
      return plotlyScriptTag(options.plotlyJs);
    },
  };
}
