/**
 * Runs a kit CLI as a child process from the repository root, as `deno task` would, and returns
 * its exit code and decoded output. Shared by the end-to-end tests.
 *
 * @module
 */

/** What a CLI run printed. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const root = new URL("..", import.meta.url).pathname;

/**
 * `deno run [-A] <file> <args>`; `permissions: false` runs without `-A` (as `deno task rewards`
 * does); `input` is written to stdin; `cwd` runs it from another folder (a sandbox).
 */
export async function runCli(
  file: string,
  args: readonly string[],
  options: { input?: string; permissions?: boolean; cwd?: string } = {},
): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...(options.permissions === false ? [] : ["-A"]),
      ...(options.cwd ? [`--config=${root}deno.json`, `${root}${file}`] : [file]),
      ...args,
    ],
    cwd: options.cwd ?? root,
    stdin: options.input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  if (options.input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.input));
    await writer.close();
  }
  const out = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/**
 * The smallest `deno task train` that still exercises everything: the tiny preset from random
 * weights, 2 pairs x G = 2 a step, 8 held-out pairs (4 evaluated), 12 generated tokens.
 */
export const TINY_TRAIN: readonly string[] = Object.freeze([
  "--warm-start",
  "off",
  "--preset",
  "tiny",
  "--batch-pairs",
  "2",
  "--group-size",
  "2",
  "--eval-pairs",
  "4",
  "--test-size",
  "8",
  "--train-size",
  "200",
  "--max-new-tokens",
  "12",
]);

/** Runs `fn` with a fresh temporary directory, removed afterwards whatever happens. */
export async function withTempDir(
  fn: (dir: string) => Promise<void>,
  prefix = "irpm-test-",
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * The lines a CLI wrote to stderr, without the notices Deno itself prints while another Deno
 * process holds the shared `node_modules` lock ("Blocking waiting for file lock ...").
 */
export function messageLines(stderr: string): string[] {
  return stderr.trim().split("\n").filter((l) =>
    l !== "" && !/^Blocking waiting for file lock/.test(l)
  );
}
