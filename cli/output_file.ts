/**
 * Result files a CLI writes at the end of a long run (`--json`, `--items`): checked before the slow
 * work starts, written atomically at the end, and every failure reported as an {@link OutputError}
 * that names the flag, the path and the operating system's reason (the CLIs exit with status 2).
 *
 * - {@link checkOutputPath}, before the slow work: the path is not a directory, its folder exists,
 *   and a file can be created there (a probe file is created and removed at once).
 * - {@link writeOutputFile}, at the end: the text goes to a hidden temp file in the same folder,
 *   which is then renamed over the path, so a reader never sees half a file and a failed write
 *   leaves the old file (or none) and no temp file. A path that is not a regular file (a device
 *   such as `/dev/full`, a pipe) or lies under `/dev/` or `/proc/` (`/dev/stdout` may lead to the
 *   file the shell redirected stdout to) is not renamed over: it is written directly, appending
 *   (as `>>` would, so `--json /dev/stdout` adds to what the CLI printed). A symbolic link is
 *   written through (its target is replaced, the link stays).
 *
 * @module
 */

/** A result file cannot be written; the message starts with the flag and the path. */
export class OutputError extends Error {
  /** The path given. */
  readonly path: string;
  /** The flag it was given with, e.g. `--json`. */
  readonly flag: string;
  constructor(flag: string, path: string, why: string, options?: ErrorOptions) {
    super(`${flag} ${path}: ${why}`, options);
    this.name = "OutputError";
    this.flag = flag;
    this.path = path;
  }
}

/** The OS's reason without Deno's `: <syscall> '<path>'` suffix (the message names the path). */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/: [a-z_]+ '.*'$/s, "");
}

/** `stat` that follows links; null when nothing is there (or a path component is a file). */
async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw error;
  }
}

/** The folder of a path (`"."` for a bare file name). */
function folderOf(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? "." : at === 0 ? "/" : path.slice(0, at);
}

/** A hidden temp name next to `path`, ending in `.tmp` (which the repository ignores). */
function tempNameFor(path: string): string {
  const folder = folderOf(path);
  const name = path.slice(path.lastIndexOf("/") + 1);
  const id = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  return `${folder === "/" ? "" : folder}/.${name}.${id}.tmp`;
}

/**
 * What is at the path, as the two functions need it; directories and stat failures throw.
 * `direct`: a device, pipe or socket, or anything under /dev/ or /proc/, written in place.
 */
async function inspect(
  path: string,
  flag: string,
): Promise<{ info: Deno.FileInfo | null; target: string; direct: boolean }> {
  if (path === "") throw new OutputError(flag, path, "empty path");
  if (path.endsWith("/")) throw new OutputError(flag, path, "is a directory; give a file name");
  let info: Deno.FileInfo | null;
  try {
    info = await statOrNull(path);
  } catch (error) {
    throw new OutputError(flag, path, `cannot check: ${reason(error)}`, { cause: error });
  }
  if (info?.isDirectory) throw new OutputError(flag, path, "is a directory; give a file name");
  const direct = /^\/(dev|proc)\//.test(path) || (info !== null && !info.isFile);
  // an existing regular file (or a link to one) is replaced at its real location
  const target = info?.isFile && !direct ? await Deno.realPath(path).catch(() => path) : path;
  return { info, target, direct };
}

/**
 * Checks, before any slow work, that {@link writeOutputFile} can write `path`: it is not a
 * directory, its folder exists and is a folder, and a file can be created in that folder (probed
 * by creating and removing a temp file: nothing is left behind). A device or pipe only has to
 * open for appending (a full device such as `/dev/full` shows only when written). Throws an
 * {@link OutputError} naming `flag` and `path`.
 *
 * @example
 * ```ts
 * import { checkOutputPath, OutputError } from "./output_file.ts";
 * import { assertRejects } from "@std/assert";
 * const dir = await Deno.makeTempDir();
 * await checkOutputPath(`${dir}/out.json`, "--json"); // fine, and leaves no file
 * await assertRejects(() => checkOutputPath(dir, "--json"), OutputError, "is a directory");
 * await assertRejects(
 *   () => checkOutputPath(`${dir}/no/out.json`, "--json"),
 *   OutputError,
 *   `--json ${dir}/no/out.json: the folder ${dir}/no does not exist`,
 * );
 * await Deno.remove(dir);
 * ```
 */
export async function checkOutputPath(path: string, flag: string): Promise<void> {
  const { info, target, direct } = await inspect(path, flag);
  if (direct && info) {
    if (info.isFifo) return; // opening a pipe without a reader would block until one comes
    try {
      (await Deno.open(path, { append: true })).close();
    } catch (error) {
      throw new OutputError(flag, path, `cannot write: ${reason(error)}`, { cause: error });
    }
    return;
  }
  const folder = folderOf(target);
  let folderInfo: Deno.FileInfo | null;
  try {
    folderInfo = await statOrNull(folder);
  } catch (error) {
    throw new OutputError(flag, path, `cannot check ${folder}: ${reason(error)}`, { cause: error });
  }
  if (folderInfo === null) throw new OutputError(flag, path, `the folder ${folder} does not exist`);
  if (!folderInfo.isDirectory) throw new OutputError(flag, path, `${folder} is not a folder`);
  const probe = tempNameFor(target);
  try {
    (await Deno.open(probe, { write: true, createNew: true })).close();
  } catch (error) {
    throw new OutputError(flag, path, `cannot write in ${folder}: ${reason(error)}`, {
      cause: error,
    });
  }
  await Deno.remove(probe);
}

/**
 * Writes `content` to `output.path` atomically (a temp file in the same folder, flushed, then
 * renamed over `path`); a device or pipe is appended to directly. On failure the temp file is
 * removed and an {@link OutputError} naming `output.flag` is thrown: `--json /dev/full: cannot
 * write: No space left on device (os error 28)`.
 *
 * @example
 * ```ts
 * import { writeOutputFile } from "./output_file.ts";
 * import { assertEquals } from "@std/assert";
 * const dir = await Deno.makeTempDir();
 * await writeOutputFile({ path: `${dir}/out.json`, flag: "--json" }, '{"ok":true}\n');
 * assertEquals(await Deno.readTextFile(`${dir}/out.json`), '{"ok":true}\n');
 * assertEquals(Array.from(Deno.readDirSync(dir)).map((e) => e.name), ["out.json"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeOutputFile(
  output: { path: string; flag: string },
  content: string | Uint8Array,
): Promise<void> {
  const { path, flag } = output;
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const { info, target, direct } = await inspect(path, flag);
  const fail = (error: unknown) =>
    new OutputError(flag, path, `cannot write: ${reason(error)}`, { cause: error });
  if (direct) {
    try {
      await Deno.writeFile(path, bytes, { append: true });
    } catch (error) {
      throw fail(error);
    }
    return;
  }
  const temp = tempNameFor(target);
  try {
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      mode: info?.mode == null ? undefined : info.mode & 0o777, // a replaced file keeps them
    });
    try {
      for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw fail(error);
  }
}
