/**
 * `deno task serve:bench`: a bounded load test of `deno task serve` on loopback. For each
 * concurrency C it sends N `/get_reward` requests (each with `--texts` responses from the
 * synthetic held-out set) at most C at a time, and prints throughput, p50/p99 latency and the
 * error count; by default once against a batching server (`--max-batch 64`) and once against an
 * unbatched one (`--max-batch 1`), then the throughput ratio at the highest C.
 *
 *   deno task serve:bench                                   # starts both servers itself
 *   deno task serve:bench --requests 256 --concurrency 1,8,32,64
 *   deno task serve:bench --url http://127.0.0.1:5000 --token "$T"   # an already running server
 *
 * The servers it starts are stopped with SIGTERM at the end. Bad flags exit 2.
 *
 * @module
 */
import { runCli } from "./run_cli.ts";
import { type FlagSchema, formatHelp, parseFlags, UsageError } from "../config/flags.ts";
import { heldOutSyntheticPairs } from "../train/warmstart.ts";
import { uniqueResponses } from "../eval_run/responses.ts";
import { type LoadResult, runLoad } from "../serve/load_test.ts";
import { SERVE_BACKENDS } from "../serve/config.ts";

const SCHEMA: FlagSchema = {
  checkpoint: { kind: "string", help: "checkpoint the started servers serve" },
  url: { kind: "string", help: "target this running server instead of starting two" },
  token: { kind: "string", help: "bearer token for --url" },
  requests: { kind: "number", integer: true, min: 1, help: "requests per concurrency level, N" },
  concurrency: { kind: "string", help: "concurrency levels C, comma-separated" },
  texts: { kind: "number", integer: true, min: 1, help: "responses per request" },
  "max-batch": {
    kind: "number",
    integer: true,
    min: 2,
    help: "--max-batch of the batching server",
  },
  backend: {
    kind: "choice",
    choices: SERVE_BACKENDS,
    help: "tfjs backend of the started servers (auto: blas if OpenBLAS loads, else wasm)",
  },
};

const DEFAULTS = {
  checkpoint: "checkpoints/warmstart-small",
  requests: 128,
  concurrency: "1,8,32",
  texts: 1,
  "max-batch": 64,
  backend: "auto",
};

/**
 * Parses `--concurrency 1,8,32` (integers >= 1).
 *
 * @example
 * ```ts
 * import { parseLevels } from "./serve_bench.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseLevels("1, 8,32"), [1, 8, 32]);
 * assertThrows(() => parseLevels("8,x"), Error, '--concurrency: expected comma-separated integers >= 1, got "8,x"');
 * ```
 */
export function parseLevels(text: string): number[] {
  const levels = text.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (levels.length === 0 || levels.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new UsageError(`--concurrency: expected comma-separated integers >= 1, got "${text}"`);
  }
  return levels;
}

/**
 * One table row of a load-test result.
 *
 * @example
 * ```ts
 * import { formatRow } from "./serve_bench.ts";
 * import { assertEquals } from "@std/assert";
 * const row = formatRow("on", { requests: 8, concurrency: 2, seconds: 0.5, throughput: 16, p50Ms: 100, p99Ms: 180.4, errors: 0 });
 * assertEquals(row, "| on | 2 | 8 | 0.50 | 16.0 | 100 | 180 | 0 |");
 * ```
 */
export function formatRow(batching: string, r: LoadResult): string {
  return `| ${batching} | ${r.concurrency} | ${r.requests} | ${r.seconds.toFixed(2)} | ` +
    `${r.throughput.toFixed(1)} | ${r.p50Ms.toFixed(0)} | ${r.p99Ms.toFixed(0)} | ${r.errors} |`;
}

async function startServe(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./serve.ts", import.meta.url).pathname, ...args, "--port", "0"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`serve exited with ${(await child.status).code} before listening`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  await child.stdout.cancel();
  return {
    url: out.split("\n")[0],
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, SCHEMA);
  if (parsed.help) {
    console.log("Usage: deno task serve:bench [flags]\n\nFlags:\n" + formatHelp(SCHEMA, DEFAULTS));
    return 0;
  }
  if (parsed.positional.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positional[0]}" (see --help)`);
  }
  const flag = <T>(name: string) =>
    (parsed.values[name] ?? (DEFAULTS as Record<string, unknown>)[name]) as T;
  const levels = parseLevels(flag<string>("concurrency"));
  const requests = flag<number>("requests");
  const texts = flag<number>("texts");
  const items = uniqueResponses(heldOutSyntheticPairs(0, 512).slice(0, 256)).items;
  const bodyOf = (i: number) => {
    const picked = Array.from({ length: texts }, (_, t) => items[(i * texts + t) % items.length]);
    return JSON.stringify({
      query: picked.map((it) => it.context[0].content + it.response),
      prompts: picked.map((it) => it.context[0].content),
    });
  };
  let tableStarted = false;
  const bench = async (label: string, url: string, token?: string) => {
    if (!tableStarted) {
      const health = await (await fetch(`${url}/health`)).json();
      console.log(`serve:bench: N = ${requests} requests per level, ${texts} response(s) each`);
      if (health.device) console.log(`judge on ${health.device}`);
      console.log("| batching | C | N | seconds | requests/s | p50 ms | p99 ms | errors |");
      console.log("|---|---|---|---|---|---|---|---|");
      tableStarted = true;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const send = async (i: number) => {
      const response = await fetch(`${url}/get_reward`, {
        method: "POST",
        headers,
        body: bodyOf(i),
      });
      const reply = await response.json();
      return response.ok && reply.rewards?.length === texts;
    };
    await send(0); // warm-up: compile the kernels before timing
    const results: LoadResult[] = [];
    for (const concurrency of levels) {
      const result = await runLoad(send, { requests, concurrency });
      console.log(formatRow(label, result));
      results.push(result);
    }
    return results;
  };
  if (parsed.values.url) {
    await bench("target", parsed.values.url as string, parsed.values.token as string | undefined);
    return 0;
  }
  const common = [flag<string>("checkpoint"), "--backend", flag<string>("backend"), "--quiet"];
  const runs: Record<string, LoadResult[]> = {};
  for (
    const [label, maxBatch] of [["on", String(flag<number>("max-batch"))], ["off", "1"]] as const
  ) {
    const server = await startServe([...common, "--max-batch", maxBatch]);
    try {
      runs[label] = await bench(`${label} (--max-batch ${maxBatch})`, server.url);
    } finally {
      await server.stop();
    }
  }
  const top = levels.length - 1;
  const ratio = runs.on[top].throughput / runs.off[top].throughput;
  console.log(
    `throughput at C = ${levels[top]}: batched / unbatched = ${ratio.toFixed(2)}x`,
  );
  return 0;
}

if (import.meta.main) await runCli("serve:bench", main);
