/**
 * `deno task serve`: serve a pointwise GRM checkpoint and the IRPM rewards over HTTP, for RL
 * engines (OpenRLHF's `--remote_rm_url`, veRL's custom reward function, TRL's `reward_funcs`).
 *
 *   deno task serve checkpoints/warmstart-small                 # http://127.0.0.1:5000
 *   deno task serve --checkpoint runs/mean/checkpoint --port 0 --votes 4 --token "$TOKEN"
 *
 * Routes: `POST /get_reward` (OpenRLHF protocol), `POST /irpm/rewards` (`deno task rewards`
 * over HTTP), `GET /health`, `GET /metrics` (Prometheus). The bound URL is printed alone on one
 * stdout line once the socket is listening (with `--port 0` a free port is picked); everything
 * else goes to stderr. SIGTERM or SIGINT stops accepting connections, finishes the requests
 * already received, and exits 0. Bad flags or checkpoints exit 2 with one message.
 *
 * @module
 */
import { runCli } from "./run_cli.ts";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { ALPHA_FLAG, MARGIN_FLAG } from "../config/irpm_flags.ts";
import { repeatedAsPositional } from "./eval.ts";
import { type DesignName, designNames, type MarginSpec } from "../irpm/mod.ts";
import {
  SERVE_BACKENDS,
  SERVE_DEFAULTS,
  type ServeBackend,
  type ServeConfig,
} from "../serve/config.ts";
import { startServer } from "../serve/server.ts";
import { startGrmWorker } from "../serve/worker_scorer.ts";

const SCHEMA: FlagSchema = {
  checkpoint: { kind: "string", help: "pointwise GRM checkpoint directory (positional works too)" },
  host: { kind: "string", help: "interface to bind" },
  port: {
    kind: "number",
    integer: true,
    min: 0,
    max: 65535,
    help: "TCP port (0: pick a free one)",
  },
  token: {
    kind: "string",
    help:
      "bearer token required on every route but /health (default: $IRPM_SERVE_TOKEN, else none)",
  },
  votes: {
    kind: "number",
    integer: true,
    min: 1,
    help: "judgments per response: 1 = greedy, k = voting@k at temperature 1",
  },
  seed: { kind: "number", integer: true, min: 0, help: "seed of each request's voting samples" },
  readout: {
    kind: "choice",
    choices: ["greedy", "expected"],
    help: "score = the greedy digits, or the expected score after the greedy critique",
  },
  "max-batch": {
    kind: "number",
    integer: true,
    min: 1,
    help: "most responses per generation call",
  },
  "batch-wait-ms": {
    kind: "number",
    min: 0,
    help: "how long a queued request waits for others to batch with",
  },
  "max-body-bytes": { kind: "number", integer: true, min: 1, help: "largest request body" },
  "max-new-tokens": { kind: "number", integer: true, min: 1, help: "generation cap per judgment" },
  "invalid-reward": {
    kind: "number",
    help: "/get_reward reward of a response whose judgment does not parse",
  },
  backend: {
    kind: "choice",
    choices: SERVE_BACKENDS,
    help: "tfjs backend; auto: blas if OpenBLAS loads, else wasm",
  },
  design: { kind: "choice", choices: designNames, help: "/irpm/rewards reward design" },
  margin: MARGIN_FLAG,
  alpha: ALPHA_FLAG,
  quiet: { kind: "boolean", help: "no startup and shutdown lines on stderr" },
};

const USAGE = `Usage: deno task serve [flags] <checkpoint dir>

Serves a pointwise GRM and the IRPM rewards over HTTP:
  POST /get_reward     OpenRLHF remote reward model: {"query": [...], "prompts": [...]}
  POST /irpm/rewards   deno task rewards over HTTP (JSONL or {"rollouts": [...]})
  GET  /health         liveness and settings (no token needed)
  GET  /metrics        Prometheus text format
Prints the bound URL on stdout; SIGTERM/SIGINT finish in-flight requests, then exit 0.

Flags:
`;

/** Parsed command line: the server settings plus what only the CLI uses. */
export interface ServeArgs {
  readonly checkpoint: string;
  readonly config: ServeConfig;
  readonly quiet: boolean;
  readonly help: boolean;
}

/**
 * Parses argv (and the token from `env` when `--token` is absent) into {@link ServeArgs}.
 * Throws a UsageError naming the flag.
 *
 * @example
 * ```ts
 * import { parseServeArgs } from "./serve.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const args = parseServeArgs(["ckpt", "--port", "0", "--votes", "4"], {});
 * assertEquals([args.checkpoint, args.config.port, args.config.votes, args.config.host], ["ckpt", 0, 4, "127.0.0.1"]);
 * assertEquals(parseServeArgs(["ckpt"], { IRPM_SERVE_TOKEN: "s3" }).config.token, "s3");
 * assertThrows(() => parseServeArgs(["ckpt", "--max-batch", "0"], {}), Error, '--max-batch: expected a number >= 1, got "0"');
 * assertThrows(() => parseServeArgs([], {}), Error, "no checkpoint given");
 * ```
 */
export function parseServeArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServeArgs {
  const parsed = parseFlags(repeatedAsPositional(argv, "checkpoint"), SCHEMA);
  const v = parsed.values;
  const d = SERVE_DEFAULTS;
  const config: ServeConfig = Object.freeze({
    host: (v.host as string | undefined) ?? d.host,
    port: (v.port as number | undefined) ?? d.port,
    token: (v.token as string | undefined) ?? env.IRPM_SERVE_TOKEN ?? d.token,
    votes: (v.votes as number | undefined) ?? d.votes,
    readout: (v.readout as "greedy" | "expected" | undefined) ?? d.readout,
    seed: (v.seed as number | undefined) ?? d.seed,
    maxBatch: (v["max-batch"] as number | undefined) ?? d.maxBatch,
    batchWaitMs: (v["batch-wait-ms"] as number | undefined) ?? d.batchWaitMs,
    maxBodyBytes: (v["max-body-bytes"] as number | undefined) ?? d.maxBodyBytes,
    maxNewTokens: (v["max-new-tokens"] as number | undefined) ?? d.maxNewTokens,
    invalidReward: (v["invalid-reward"] as number | undefined) ?? d.invalidReward,
    backend: (v.backend as ServeBackend | undefined) ?? d.backend,
    design: (v.design as DesignName | undefined) ?? d.design,
    margin: (v.margin as MarginSpec | undefined) ?? d.margin,
    alpha: (v.alpha as number | undefined) ?? d.alpha,
  });
  if (config.token === "") throw new UsageError('--token: expected a non-empty token, got ""');
  if (config.readout === "expected" && config.votes !== 1) {
    throw new UsageError(
      `--readout expected reads one greedy judgment per response; drop --votes ${config.votes}`,
    );
  }
  if (parsed.help) return { checkpoint: "", config, quiet: false, help: true };
  if (parsed.positional.length === 0) throw new UsageError("no checkpoint given (see --help)");
  if (parsed.positional.length > 1) {
    throw new UsageError(
      `one checkpoint only, got ${parsed.positional.length}: ${parsed.positional.join(", ")}`,
    );
  }
  return {
    checkpoint: parsed.positional[0],
    config,
    quiet: (v.quiet as boolean | undefined) ?? false,
    help: false,
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv, Deno.env.toObject());
  if (args.help) {
    console.log(USAGE + formatHelp(SCHEMA, { ...SERVE_DEFAULTS, token: undefined }));
    return 0;
  }
  const { config } = args;
  const say = (line: string) => args.quiet || console.error(`serve: ${line}`);
  // The GRM runs in a worker thread, so this thread keeps reading requests while it generates.
  const grm = await startGrmWorker({
    checkpoint: args.checkpoint,
    backend: config.backend,
    options: {
      votes: config.votes,
      readout: config.readout,
      seed: config.seed,
      maxNewTokens: config.maxNewTokens,
      maxBatch: config.maxBatch,
    },
  });
  const server = await startServer(grm.score, config, {
    name: args.checkpoint,
    device: grm.device,
    onError: (error) => console.error("serve: internal error:", error),
  });
  say(
    `${args.checkpoint} on ${grm.device}; votes ${config.votes}, max batch ${config.maxBatch}, ` +
      `wait ${config.batchWaitMs} ms${config.token === null ? "" : ", bearer token required"}`,
  );
  console.log(server.url);
  // Exit only once the in-flight requests are answered: not when the socket closes.
  const stopped = Promise.withResolvers<void>();
  const stop = async (signal: string) => {
    say(`${signal}: no new connections; finishing the requests in flight`);
    await server.shutdown();
    grm.close();
    say("stopped");
    stopped.resolve();
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => stop(signal));
  }
  await stopped.promise;
  return 0;
}

if (import.meta.main) await runCli("serve", main);
