/**
 * Tiny SVG string helpers: XML escaping, compact coordinates and element builders. No DOM.
 *
 * @module
 */

const xmlEscapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for use in XML/HTML text and attribute values.
 *
 * @example
 * ```ts
 * import { escapeXml } from "./svg.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(escapeXml(`P("a" < b) & c`), "P(&quot;a&quot; &lt; b) &amp; c");
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => xmlEscapes[ch]);
}

/**
 * A coordinate rounded to 2 decimals (keeps SVGs small; 0.01 px is invisible).
 *
 * @example
 * ```ts
 * import { px } from "./svg.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(px(10.126), "10.13");
 * assertEquals(px(-0.001), "0");
 * ```
 */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100 + 0);
}

/** Attribute values; `undefined` drops the attribute. */
export type Attributes = Record<string, string | number | undefined>;

/**
 * One SVG element as a string; numbers go through {@link px}, strings are escaped.
 *
 * @example
 * ```ts
 * import { element } from "./svg.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(element("rect", { x: 1.234, fill: "red", title: undefined }), '<rect x="1.23" fill="red"/>');
 * assertEquals(element("text", { x: 0 }, "a<b"), '<text x="0">a&lt;b</text>');
 * ```
 */
export function element(name: string, attributes: Attributes, text?: string): string {
  const attrs = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === "number" ? px(value) : escapeXml(value!)}"`)
    .join("");
  return text === undefined
    ? `<${name}${attrs}/>`
    : `<${name}${attrs}>${escapeXml(text)}</${name}>`;
}

/** A `<g>` group around already-built children. */
export function group(attributes: Attributes, children: readonly string[]): string {
  const open = element("g", attributes).slice(0, -2);
  return `${open}>${children.join("")}</g>`;
}
