/**
 * Reading a request body under a size limit: a declared `Content-Length` over the limit is
 * refused before reading, and a body without one (chunked) is cut off as soon as it passes the
 * limit, so a client can never make the server buffer more than `maxBytes`.
 *
 * @module
 */
import { HttpError } from "./http_error.ts";

/**
 * The body as strict UTF-8 text. Throws {@link HttpError} 413 (too large) or 400 (not UTF-8).
 *
 * @example
 * ```ts
 * import { readBodyText } from "./read_body.ts";
 * import { assertEquals, assertRejects } from "@std/assert";
 * const post = (body: string) => new Request("http://x/", { method: "POST", body });
 * assertEquals(await readBodyText(post("héllo"), 16), "héllo");
 * await assertRejects(() => readBodyText(post("0123456789"), 4), Error, "body is larger than 4 bytes");
 * ```
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, "too_large", `body is larger than ${maxBytes} bytes (--max-body-bytes)`);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "bad_json", "body is not valid UTF-8");
  }
}

/**
 * Parses a JSON body; a syntax error is a 400 that quotes the parser's message.
 *
 * @example
 * ```ts
 * import { parseJsonBody } from "./read_body.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseJsonBody('{"a": 1}'), { a: 1 });
 * assertThrows(() => parseJsonBody("{oops"), Error, "body is not valid JSON");
 * ```
 */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, "bad_json", `body is not valid JSON: ${why}`);
  }
}
