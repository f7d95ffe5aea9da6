/**
 * Rich display in the Deno Jupyter kernel without touching `Deno.jupyter`: the kernel shows any
 * value that has a `Symbol.for("Jupyter.display")` method (the same symbol as
 * `Deno.jupyter.$display`) by calling it and sending the MIME bundle it returns. A notebook shows
 * such a value as a cell's last expression, or any number of them with
 * `await Deno.jupyter.display(value)`.
 *
 * @module
 */
import type { Figure } from "./figure.ts";
import { type MimeBundle, mimeBundle, type MimeBundleOptions } from "./mime_bundle.ts";

/** The symbol the Deno kernel looks for (`Deno.jupyter.$display`). */
export const jupyterDisplay: unique symbol = Symbol.for("Jupyter.display") as never;

/** A value the Deno kernel renders from the MIME bundle its display method returns. */
export type Displayable = { [jupyterDisplay](): MimeBundle };

/**
 * Wraps a MIME bundle so the Deno kernel displays it.
 *
 * @example
 * ```ts
 * import { jupyterDisplay, plotDisplay } from "./display.ts";
 * import { mimeBundle } from "./mime_bundle.ts";
 * import { lineChart } from "./charts.ts";
 * import { assertStrictEquals } from "@std/assert";
 * const bundle = mimeBundle(lineChart([{ x: [0, 1], y: [0, 1] }]));
 * assertStrictEquals(plotDisplay(bundle)[jupyterDisplay](), bundle);
 * assertStrictEquals(jupyterDisplay, Symbol.for("Jupyter.display"));
 * ```
 */
export function plotDisplay(bundle: MimeBundle): Displayable {
  return { [jupyterDisplay]: () => bundle };
}

/**
 * Shorthand for `plotDisplay(mimeBundle(figure, options))`.
 *
 * @example
 * ```ts
 * import { figureDisplay, jupyterDisplay } from "./display.ts";
 * import { createPlotSession } from "./plot_session.ts";
 * import { lineChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const shown = figureDisplay(lineChart([{ x: [0, 1], y: [0, 1] }]), { session: createPlotSession() });
 * assertEquals(typeof shown[jupyterDisplay]()["image/svg+xml"], "string");
 * ```
 */
export function figureDisplay(figure: Figure, options: MimeBundleOptions = {}): Displayable {
  return plotDisplay(mimeBundle(figure, options));
}

/**
 * How long to wait after sending a bundle before the cell may finish: 250 ms plus 100 ms per
 * MB of bundle text (plotly.js alone is 4.6-11 MB).
 *
 * Why: the Deno kernel (2.9) forwards display messages on a separate path from its "idle"
 * status, so a large display_data can reach the client after the cell's idle message, and
 * `jupyter nbconvert --execute` (nbclient) drops every message that arrives after idle. Measured
 * here: an 11 MB bundle arrives ~0.15 s after it is sent; the wait leaves a wide margin.
 *
 * @example
 * ```ts
 * import { settleDelayMs } from "./display.ts";
 * import { assertEquals } from "@std/assert";
 * const bundle = { "text/html": "x".repeat(2_000_000), "text/plain": "", "image/svg+xml": "" };
 * assertEquals(settleDelayMs(bundle as never), 450); // 250 + 2 MB * 100
 * ```
 */
export function settleDelayMs(bundle: MimeBundle): number {
  const chars = bundle["text/html"].length + bundle["image/svg+xml"].length +
    bundle["text/plain"].length +
    JSON.stringify(bundle["application/vnd.plotly.v1+json"] ?? null).length;
  return Math.round(250 + (chars / 1_000_000) * 100);
}

/** Options of {@link showFigure}: the session and the notebook's display function. */
export type ShowFigureOptions = MimeBundleOptions & {
  /** The kernel's display function, e.g. `Deno.jupyter.display` (passed in: no global access). */
  display: (value: Displayable) => Promise<void> | void;
  /** Waits `ms` milliseconds; default setTimeout. Tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Displays a figure and waits until the kernel has had time to send it (see
 * {@link settleDelayMs}), so the output is not lost by headless execution. Resolves to nothing, so
 * `await showFigure(...)` as a cell's last line adds no extra output.
 *
 * @example
 * ```ts
 * import { showFigure } from "./display.ts";
 * import { lineChart } from "./charts.ts";
 * import { assertEquals } from "@std/assert";
 * const shown: unknown[] = [];
 * const waits: number[] = [];
 * await showFigure(lineChart([{ x: [0, 1], y: [0, 1] }]), {
 *   display: (value) => void shown.push(value),
 *   sleep: async (ms) => void waits.push(ms),
 * });
 * assertEquals([shown.length, waits.length], [1, 1]);
 * ```
 */
export async function showFigure(figure: Figure, options: ShowFigureOptions): Promise<void> {
  const { display, sleep, ...bundleOptions } = options;
  const bundle = mimeBundle(figure, bundleOptions);
  await display(plotDisplay(bundle));
  const wait = sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  await wait(settleDelayMs(bundle));
}

/** Options of {@link showTable}: the notebook's display function, and how long to wait. */
export type ShowTableOptions = {
  /** The kernel's display function, e.g. `Deno.jupyter.display` (passed in: no global access). */
  display: (value: never) => Promise<void> | void;
  /** Milliseconds to wait after displaying; default 300 (a table's bundle is small). */
  settleMs?: number;
  /** Waits `ms` milliseconds; default setTimeout. Tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Displays a table (a polars DataFrame, or anything the kernel can display) and waits as
 * {@link showFigure} does. A table left as a cell's last expression is sent on the same late path
 * as a figure, and headless execution lost one in 1 of 3 runs of notebook 02.
 *
 * @example
 * ```ts
 * import { showTable } from "./display.ts";
 * import { assertEquals } from "@std/assert";
 * const shown: unknown[] = [];
 * const waits: number[] = [];
 * await showTable({ rows: 1 }, {
 *   display: ((value: unknown) => void shown.push(value)) as never,
 *   sleep: async (ms) => void waits.push(ms),
 * });
 * assertEquals([shown, waits], [[{ rows: 1 }], [300]]);
 * ```
 */
export async function showTable(table: unknown, options: ShowTableOptions): Promise<void> {
  await (options.display as (value: unknown) => Promise<void> | void)(table);
  const wait = options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  await wait(options.settleMs ?? 300);
}

/**
 * Displays markdown text and waits as {@link showTable} does (a verdict or a note computed in a
 * cell). The value carries its own MIME bundle, so no `Deno.jupyter.md` is needed.
 *
 * @example
 * ```ts
 * import { showMarkdown } from "./display.ts";
 * import { assertEquals } from "@std/assert";
 * const shown: unknown[] = [];
 * await showMarkdown("**verdict: reproduced**", {
 *   display: ((value: { [k: symbol]: () => unknown }) => void shown.push(value[Symbol.for("Jupyter.display")]())) as never,
 *   sleep: async () => {},
 * });
 * assertEquals(shown, [{ "text/markdown": "**verdict: reproduced**" }]);
 * ```
 */
export async function showMarkdown(text: string, options: ShowTableOptions): Promise<void> {
  await showTable({ [jupyterDisplay]: () => ({ "text/markdown": text }) }, options);
}
