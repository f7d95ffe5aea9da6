/**
 * The HTTP routes of `deno task serve`, as one `Request -> Response` function (no sockets here:
 * `server.ts` binds it). Checks run in this order: unknown path (404), wrong method (405, with
 * `Allow`), missing or wrong bearer token (401, with `WWW-Authenticate`; `GET /health` needs none
 * so load balancers can probe it), body over the limit (413), bad JSON (400), bad field (400,
 * naming the field). Every refusal is a JSON `{"error": {kind, message, field?}}`.
 *
 * @module
 */
import type { ResponseItem } from "../data/types.ts";
import type { ServeConfig } from "./config.ts";
import type { ResponseScore } from "./grm_scorer.ts";
import { errorResponse, HttpError } from "./http_error.ts";
import { irpmRewardsReply } from "./irpm_rewards.ts";
import type { Metrics } from "./metrics.ts";
import { parseJsonBody, readBodyText } from "./read_body.ts";
import { parseRewardRequest } from "./reward_request.ts";
import type { ServeMetrics } from "./serve_metrics.ts";

/** What the handler needs. */
export interface HandlerDeps {
  /** The settings the routes read. */
  readonly config: Pick<
    ServeConfig,
    "token" | "maxBodyBytes" | "invalidReward" | "design" | "margin" | "alpha"
  >;
  /** Scores one request's responses (through the batch queue). */
  readonly score: (items: ResponseItem[]) => Promise<ResponseScore[]>;
  /** Registry rendered by `GET /metrics`. */
  readonly registry: Metrics;
  /** Instruments to update. */
  readonly metrics: ServeMetrics;
  /** Body of `GET /health` (model, settings, draining). */
  readonly health: () => Record<string, unknown> & { status: string };
  /** Where unexpected errors are reported (the client gets a 500 without internals). */
  readonly onError?: (error: unknown) => void;
}

/** A request handler and its live state. */
export interface Handler {
  /** Answers one request. */
  handle(request: Request): Promise<Response>;
  /** Requests being handled now. */
  inFlight(): number;
}

type Route = (request: Request) => Promise<Response>;

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value) + "\n", {
    status,
    headers: { "content-type": "application/json" },
  });

/**
 * The `/get_reward` reply for scored responses: `rewards` = `scores` = the GRM score, or
 * `invalidReward` for a response whose judgment did not parse (never a silent 0), and
 * `extra_logs.grm_valid` (1/0 per response, so OpenRLHF logs the valid rate) and
 * `extra_logs.grm_valid_votes` (fraction of a response's judgments that parsed).
 *
 * @example
 * ```ts
 * import { rewardReply } from "./handler.ts";
 * import { assertEquals } from "@std/assert";
 * const reply = rewardReply([
 *   { score: 7, scores: [7], texts: ["<critique>a</critique><score>7</score>"] },
 *   { score: null, scores: [null], texts: ["garbled"] },
 * ], 5);
 * assertEquals(reply, {
 *   rewards: [7, 5], scores: [7, 5], parse_failures: 1,
 *   extra_logs: { grm_valid: [1, 0], grm_valid_votes: [1, 0] },
 * });
 * ```
 */
export function rewardReply(scored: readonly ResponseScore[], invalidReward: number) {
  const rewards = scored.map((s) => s.score ?? invalidReward);
  return {
    rewards,
    scores: rewards,
    parse_failures: scored.filter((s) => s.score === null).length,
    extra_logs: {
      grm_valid: scored.map((s) => (s.score === null ? 0 : 1)),
      grm_valid_votes: scored.map((s) =>
        s.scores.filter((x) => x !== null).length / s.scores.length
      ),
    },
  };
}

/** Builds the handler. */
export function createHandler(deps: HandlerDeps): Handler {
  const { config, metrics } = deps;
  let inFlight = 0;

  const getReward: Route = async (request) => {
    const items = parseRewardRequest(
      parseJsonBody(await readBodyText(request, config.maxBodyBytes)),
    );
    const scored = items.length === 0 ? [] : await deps.score(items);
    const reply = rewardReply(scored, config.invalidReward);
    if (reply.parse_failures > 0) metrics.parseFailures.inc({}, reply.parse_failures);
    return json(reply);
  };

  const irpmRewards: Route = async (request) => {
    const text = await readBodyText(request, config.maxBodyBytes);
    const reply = irpmRewardsReply(
      { text, contentType: request.headers.get("content-type") },
      config,
    );
    return new Response(reply.body, { headers: { "content-type": reply.contentType } });
  };

  const routes: Record<string, Record<string, Route>> = {
    "/get_reward": { POST: getReward },
    "/irpm/rewards": { POST: irpmRewards },
    "/health": {
      GET: () => {
        const body = deps.health();
        return Promise.resolve(json(body, body.status === "ok" ? 200 : 503));
      },
    },
    "/metrics": {
      GET: () =>
        Promise.resolve(
          new Response(deps.registry.render(), {
            headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
          }),
        ),
    },
  };

  const authorized = (request: Request) => {
    if (config.token === null) return true;
    const given = request.headers.get("authorization") ?? "";
    const expected = `Bearer ${config.token}`;
    // compare every byte, so the time taken does not tell how much of a guess was right
    let diff = given.length ^ expected.length;
    for (let i = 0; i < expected.length; i++) {
      diff |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
    }
    return diff === 0;
  };

  const route = (request: Request, path: string): Route => {
    const methods = routes[path];
    if (!methods) throw new HttpError(404, "not_found", `no such path: ${path}`);
    const handler = methods[request.method];
    if (!handler) {
      const allow = Object.keys(methods).join(", ");
      throw new HttpError(
        405,
        "method_not_allowed",
        `${request.method} is not allowed on ${path} (allowed: ${allow})`,
        { headers: { allow } },
      );
    }
    if (!(path === "/health" || authorized(request))) {
      const missing = !request.headers.has("authorization");
      throw new HttpError(
        401,
        "unauthorized",
        missing ? "missing bearer token (Authorization: Bearer <token>)" : "wrong bearer token",
        { headers: { "www-authenticate": 'Bearer realm="irpm-serve"' } },
      );
    }
    return handler;
  };

  return {
    async handle(request) {
      const started = performance.now();
      const path = new URL(request.url).pathname;
      const known = path in routes ? path : "other";
      inFlight++;
      let response: Response;
      try {
        response = await route(request, path)(request);
      } catch (error) {
        if (error instanceof HttpError) {
          response = errorResponse(error);
          metrics.errors.inc({ kind: error.kind });
        } else {
          deps.onError?.(error);
          response = errorResponse(
            new HttpError(500, "internal", "internal error (see the server log)"),
          );
          metrics.errors.inc({ kind: "internal" });
        }
      } finally {
        inFlight--;
      }
      metrics.requests.inc({ path: known, status: String(response.status) });
      metrics.latency.observe((performance.now() - started) / 1000, { path: known });
      return response;
    },
    inFlight: () => inFlight,
  };
}
