/**
 * Request errors the server answers with a status and a JSON body
 * `{"error": {"kind": "...", "message": "...", "field"?: "..."}}`. The `kind` labels the
 * `irpm_serve_errors_total` metric.
 *
 * @module
 */

/** Error kinds, one per way a request can fail. */
export type ErrorKind =
  | "bad_json"
  | "bad_field"
  | "too_large"
  | "method_not_allowed"
  | "not_found"
  | "unauthorized"
  | "shutting_down"
  | "internal";

/** A request the server refuses, with the status to answer. */
export class HttpError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Metric label and machine-readable cause. */
  readonly kind: ErrorKind;
  /** The request field at fault (`query[2]`, `rollouts[0].side`), when there is one. */
  readonly field?: string;
  /** Extra response headers (`Allow`, `WWW-Authenticate`). */
  readonly headers: Readonly<Record<string, string>>;

  /** Builds the error; `message` is sent to the client as is. */
  constructor(
    status: number,
    kind: ErrorKind,
    message: string,
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.kind = kind;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

/**
 * A 400 for one bad field: the message starts with the field's path.
 *
 * @example
 * ```ts
 * import { badField } from "./http_error.ts";
 * import { assertEquals } from "@std/assert";
 * const error = badField("query[1]", "expected a string, got 5");
 * assertEquals([error.status, error.field, error.message], [400, "query[1]", "query[1]: expected a string, got 5"]);
 * ```
 */
export function badField(field: string, problem: string): HttpError {
  return new HttpError(400, "bad_field", `${field}: ${problem}`, { field });
}

/**
 * The JSON response of an {@link HttpError}.
 *
 * @example
 * ```ts
 * import { HttpError, errorResponse } from "./http_error.ts";
 * import { assertEquals } from "@std/assert";
 * const response = errorResponse(new HttpError(404, "not_found", "no route GET /x"));
 * assertEquals(response.status, 404);
 * assertEquals(await response.json(), { error: { kind: "not_found", message: "no route GET /x" } });
 * ```
 */
export function errorResponse(error: HttpError): Response {
  const body = {
    error: {
      kind: error.kind,
      message: error.message,
      ...(error.field === undefined ? {} : { field: error.field }),
    },
  };
  return new Response(JSON.stringify(body) + "\n", {
    status: error.status,
    headers: { "content-type": "application/json", ...error.headers },
  });
}
