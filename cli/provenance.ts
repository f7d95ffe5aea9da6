/**
 * Provenance for shipped results: the kit's git commit.
 *
 * @module
 */

/** The git commit of the kit checkout (with `+dirty` when it has uncommitted changes), or null. */
export async function kitCommit(): Promise<string | null> {
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", {
      args,
      cwd: new URL("..", import.meta.url).pathname,
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  };
  try {
    const head = await git("rev-parse", "HEAD");
    if (head === null) return null;
    const status = await git("status", "--porcelain", "--untracked-files=no");
    return status ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}

/**
 * A command line that a POSIX shell reads back as the same arguments.
 *
 * @example
 * ```ts
 * import { shellCommand } from "./provenance.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(shellCommand(["deno", "task", "voting", "--name", "IRPM-mean (seed 0)", "it's"]),
 *   `deno task voting --name 'IRPM-mean (seed 0)' 'it'\\''s'`);
 * ```
 */
export function shellCommand(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(" ");
}
