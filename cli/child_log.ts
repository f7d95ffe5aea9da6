/**
 * Runs a kit CLI as a child process with its stdout and stderr appended, interleaved as a
 * terminal shows them, to a log file: how the grid runners (`deno task sweep`, `deno task
 * policy:grid`) run their cells.
 *
 * @module
 */

/** Children running now, so an interrupted grid can stop them too. */
export const runningChildren: Set<Deno.ChildProcess> = new Set();

/** Runs `deno run -A <script> <args>` with its output into `logPath`; returns its exit code. */
export async function runLogged(
  script: URL,
  args: readonly string[],
  options: { logPath: string; env?: Record<string, string> },
): Promise<number> {
  const log = await Deno.open(options.logPath, { create: true, append: true });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script.pathname, ...args],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", ...(options.env ?? {}) },
    }).spawn();
    runningChildren.add(child);
    // writes chained so none overlap
    let pending = Promise.resolve();
    const write = (chunk: Uint8Array) =>
      pending = pending.then(async () => {
        for (let at = 0; at < chunk.length;) at += await log.write(chunk.subarray(at));
      });
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) await write(chunk);
    };
    await Promise.all([pump(child.stdout), pump(child.stderr)]);
    await pending;
    const { code } = await child.status;
    runningChildren.delete(child);
    return code;
  } finally {
    log.close();
  }
}

/**
 * Runs `work` on every item, `jobs` at a time, in order; SIGINT or SIGTERM stops every running
 * child (each keeps its last checkpoint), prints `interrupted` and exits 130.
 */
export async function runQueue<T>(
  items: readonly T[],
  options: { jobs: number; work: (item: T) => Promise<void>; interrupted: string },
): Promise<void> {
  const queue = [...items];
  const onSignal = () => {
    for (const child of runningChildren) child.kill("SIGTERM");
    console.log(`\n${options.interrupted}`);
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const worker = async () => {
    while (queue.length > 0) await options.work(queue.shift()!);
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(options.jobs, Math.max(1, queue.length)) }, worker),
    );
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}
