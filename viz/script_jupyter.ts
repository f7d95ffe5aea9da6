/**
 * A stand-in for `Deno.jupyter` when a notebook's code cells run as a plain script
 * (`deno task notebook:script`, cli/notebook_script.ts): the same `display`, `md` and `html`, but
 * displayed values go to stdout as text (markdown, tables) and to files (figures), and each cell's
 * start and wall time are reported.
 *
 * Outside Jupyter, Deno's own `Deno.jupyter` throws on access and cannot be replaced, so the
 * exporter rewrites `Deno.jupyter` to this module's namespace.
 *
 * Where a displayed MIME bundle goes:
 * - `text/markdown`, `text/plain`: printed;
 * - `image/svg+xml`: written to `<out>/cell-<n>-<k>.svg` (the folder in `IRPM_SCRIPT_OUT`, or
 *   the working directory), and its path printed;
 * - `application/vnd.plotly.v1+json`: written next to it as `.plotly.json`;
 * - `text/html` alone: written as `.html`.
 * A value with no display method (e.g. a polars DataFrame) is printed with `String(value)`.
 *
 * @module
 */

/** What a displayed value may be (mirrors `Deno.jupyter.Displayable`). */
export type Displayable = unknown;

/** The MIME bundle of a value, as the Deno kernel would compute it. */
export type MimeBundle = Record<string, unknown>;

const DISPLAY = Symbol.for("Jupyter.display");

/** The same symbol as `Deno.jupyter.$display`. */
export const $display: symbol = DISPLAY;

/** A markdown value, as `Deno.jupyter.md` makes; shown once even if displayed again. */
class Markdown {
  shown = false;
  constructor(readonly text: string) {}
  [DISPLAY](): MimeBundle {
    return { "text/markdown": this.text };
  }
}

const tagged = (strings: TemplateStringsArray, values: unknown[]) =>
  strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ""), "");

/**
 * `Deno.jupyter.md`: a markdown value. It is printed when made, because a notebook often leaves
 * it as a cell's last expression, which Jupyter shows and a script would drop; displaying it
 * afterwards prints nothing more.
 *
 * @example
 * ```ts
 * import { bundleOf, configureScript, display, md } from "./script_jupyter.ts";
 * import { assertEquals } from "@std/assert";
 * const lines: string[] = [];
 * configureScript({ print: (line) => lines.push(line) });
 * const value = md`**${2 + 2}** points`;
 * await display(value); // already printed: nothing more
 * assertEquals(lines, ["**4** points"]);
 * assertEquals(bundleOf(value), { "text/markdown": "**4** points" });
 * ```
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): Displayable {
  const value = new Markdown(tagged(strings, values));
  sink.print(value.text);
  value.shown = true;
  return value;
}

/** `Deno.jupyter.html`: an HTML value. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): unknown {
  const text = tagged(strings, values);
  return { [DISPLAY]: () => ({ "text/html": text }) };
}

/**
 * The MIME bundle of a value with a display method, or null.
 *
 * @example
 * ```ts
 * import { bundleOf } from "./script_jupyter.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(bundleOf({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "x" }) }), { "text/plain": "x" });
 * assertEquals(bundleOf(42), null);
 * ```
 */
export function bundleOf(value: unknown): MimeBundle | null {
  const method = (value as Record<symbol, unknown> | null)?.[DISPLAY];
  return typeof method === "function" ? (method.call(value) as MimeBundle) : null;
}

/**
 * Where displays go: `out`, the folder figures are written to (default: `IRPM_SCRIPT_OUT`, else
 * the working directory), and `print`, the text sink (default: stdout).
 */
export function configureScript(options: { out?: string; print?: (line: string) => void }): void {
  if (options.out !== undefined) sink.out = options.out;
  if (options.print !== undefined) sink.print = options.print;
}

/** Where a script's displays go: the output folder, stdout, and the cell being run. */
interface Sink {
  out: string;
  cell: number;
  shownInCell: number;
  print: (line: string) => void;
  cellStarted: number;
  timings: { cell: number; seconds: number }[];
}

const sink: Sink = {
  out: Deno.env.get("IRPM_SCRIPT_OUT") ?? ".",
  cell: 0,
  shownInCell: 0,
  print: (line) => console.log(line),
  cellStarted: performance.now(),
  timings: [],
};

/**
 * `Deno.jupyter.display`: prints or writes a value's MIME bundle (see the module doc).
 */
export async function display(value: Displayable): Promise<void> {
  if (value instanceof Markdown && value.shown) return;
  const bundle = bundleOf(value);
  if (bundle === null) {
    sink.print(String(value));
    return;
  }
  const written: string[] = [];
  const base = `${sink.out}/cell-${sink.cell}-${++sink.shownInCell}`;
  const write = async (suffix: string, text: string) => {
    await Deno.writeTextFile(base + suffix, text);
    written.push(base + suffix);
  };
  if (typeof bundle["image/svg+xml"] === "string") await write(".svg", bundle["image/svg+xml"]);
  const plotly = bundle["application/vnd.plotly.v1+json"];
  if (plotly !== undefined) await write(".plotly.json", JSON.stringify(plotly));
  const text = bundle["text/markdown"] ?? bundle["text/plain"];
  if (typeof text === "string") sink.print(text);
  else if (written.length === 0 && typeof bundle["text/html"] === "string") {
    await write(".html", bundle["text/html"]);
    // a table (e.g. a polars DataFrame) also prints as text where it has its own toString
    const own = (value as { toString?: unknown }).toString;
    if (typeof own === "function" && own !== Object.prototype.toString) sink.print(String(value));
  }
  for (const file of written) sink.print(`[figure: ${file}]`);
}

/** Marks the start of code cell `n` (the exporter calls it before each cell's code). */
export function cellStart(n: number): void {
  closeCell();
  sink.cell = n;
  sink.shownInCell = 0;
  sink.cellStarted = performance.now();
  sink.print(`--- cell ${n}`);
}

function closeCell(): void {
  if (sink.cell > 0) {
    sink.timings.push({ cell: sink.cell, seconds: (performance.now() - sink.cellStarted) / 1000 });
  }
}

/** Ends the script: prints each cell's wall time and the total. */
export function scriptEnd(): { cell: number; seconds: number }[] {
  closeCell();
  sink.cell = 0;
  const total = sink.timings.reduce((a, t) => a + t.seconds, 0);
  sink.print(
    `--- cell wall times: ${
      sink.timings.map((t) => `${t.cell}: ${t.seconds.toFixed(1)} s`).join(", ")
    }; total ${total.toFixed(1)} s`,
  );
  return sink.timings;
}
