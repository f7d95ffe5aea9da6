/**
 * Content hashes for checkpoints: SHA-256 of bytes, a canonical JSON text, and the dataset
 * fingerprint that stops a run from resuming on different data.
 *
 * @module
 */

/**
 * SHA-256 of `bytes` as 64 lowercase hex digits (WebCrypto `crypto.subtle.digest`).
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./fingerprint.ts";
 * import { assertEquals } from "@std/assert";
 * // FIPS 180-2 test vector: SHA-256("abc")
 * assertEquals(
 *   await sha256Hex(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function canonical(value: unknown, path: string): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, not a JSON number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(canonical(value[i], `${path}[${i}]`));
    return `[${parts.join(",")}]`;
  }
  if (typeof value === "object" && isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    const parts = Object.keys(record).sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key], `${path}.${key}`)}`);
    return `{${parts.join(",")}}`;
  }
  const kind = typeof value === "object" ? value.constructor?.name ?? "object" : typeof value;
  throw new TypeError(`${path} is a ${kind}, which has no canonical JSON form`);
}

/**
 * Canonical JSON text of a JSON value: no whitespace, object keys sorted by UTF-16 code units,
 * numbers and strings as `JSON.stringify` writes them (the RFC 8785 "JCS" rules). Properties
 * whose value is `undefined` are left out, as `JSON.stringify` does. Throws a TypeError naming the
 * path (`$.items[3].score`) of anything JSON cannot carry faithfully: `undefined` in an array,
 * `NaN`, `Infinity`, bigint, functions, class instances such as `Date` or typed arrays.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./fingerprint.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const text = canonicalJson({ b: [1, "x"], a: { d: null, c: true } });
 * assertEquals(text, '{"a":{"c":true,"d":null},"b":[1,"x"]}');
 * assertThrows(() => canonicalJson({ a: [1, NaN] }), TypeError, "$.a[1] is NaN");
 * ```
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, "$");
}

/**
 * Fingerprint of a dataset, recorded in a checkpoint so resuming on other data is caught.
 * A string (a data file's text) is hashed as its UTF-8 bytes, so `sha256sum data.jsonl` gives the
 * same hex; an array of items is hashed as its {@link canonicalJson} text (key order inside an item
 * does not matter, item order does).
 *
 *   fingerprint = hex(SHA-256(utf8(text)))  or  hex(SHA-256(utf8(canonicalJson(items))))
 *
 * @example
 * ```ts
 * import { datasetFingerprint } from "./fingerprint.ts";
 * import { assertEquals, assertNotEquals } from "@std/assert";
 * const a = await datasetFingerprint([{ prompt: "p", chosen: "c", rejected: "r" }]);
 * assertEquals(a, await datasetFingerprint([{ rejected: "r", chosen: "c", prompt: "p" }]));
 * assertNotEquals(a, await datasetFingerprint([{ prompt: "p", chosen: "r", rejected: "c" }]));
 * assertEquals(a, await datasetFingerprint('[{"chosen":"c","prompt":"p","rejected":"r"}]'));
 * ```
 */
export async function datasetFingerprint(items: readonly unknown[] | string): Promise<string> {
  if (typeof items !== "string" && !Array.isArray(items)) {
    throw new TypeError(
      `datasetFingerprint needs an array of items or a string, got ${typeof items}`,
    );
  }
  const text = typeof items === "string" ? items : canonicalJson(items);
  return await sha256Hex(new TextEncoder().encode(text));
}
