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
