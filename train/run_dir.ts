/**
 * The run directory on disk (`runs/<name>/`): config.json, metrics.jsonl, samples.jsonl,
 * eval/step-NNNNNN.jsonl (per-pair outputs behind every evaluation number), reference/ (the frozen
 * reference model), checkpoint/ (latest complete checkpoint), report.html, and the marker file
 * `.irpm-run.json` that says the kit made this directory.
 *
 * Safety rules, shared by every CLI that writes a directory (train, warmstart, compare):
 * - a run name is one path segment ({@link checkRunName});
 * - a directory is replaced (`--force`) only when the kit made it ({@link inspectOutputDir}),
 *   never anything else;
 * - a new run directory appears whole: it is built under a hidden staging name and renamed into
 *   place once config.json and the reference model are written ({@link stageRunDir}), so a run
 *   directory is always complete enough to resume.
 *
 * This is the I/O edge of training; the CLIs use it.
 *
 * @module
 */
import type { MetricsLine, SampleLine } from "./report.ts";

/** The marker file the kit writes first into every directory it creates. */
export const RUN_MARKER = ".irpm-run.json";

/** What kind of output directory a marker describes. */
export type OutputDirKind = "train" | "compare" | "checkpoint" | "sweep" | "policy";

/**
 * A problem with an output or run directory (a bad name, a directory the kit did not make, a run
 * that cannot be resumed). The CLIs print its message and exit with status 2.
 */
export class RunDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunDirError";
  }
}

/**
 * A write into a run that failed (disk full, read-only file system, permissions); names the path
 * and the operating system's reason.
 */
export class RunWriteError extends Error {
  /** The file or directory that could not be written. */
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(`cannot write ${path}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "RunWriteError";
    this.path = path;
  }
}

/** Runs a write and turns its failure into a {@link RunWriteError} naming `path`. */
export async function writingTo<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof RunWriteError) throw error;
    throw new RunWriteError(path, error);
  }
}

/**
 * Checks a run name: one path segment, so `<run-dir>/<name>` is a child of the run dir. Rejects the
 * empty name, `.` and `..`, separators (`/`, `\`), control characters and names starting with a
 * dot (hidden: the kit's staging directories use them).
 *
 * @example
 * ```ts
 * import { checkRunName } from "./run_dir.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(checkRunName("mean-seed1"), "mean-seed1");
 * for (const bad of ["", ".", "..", "a/b", "../x", "a\\b", ".hidden"]) {
 *   assertThrows(() => checkRunName(bad), Error, "--name");
 * }
 * ```
 */
export function checkRunName(name: string, flag = "--name"): string {
  const bad = (why: string) =>
    new RunDirError(`${flag} ${JSON.stringify(name)}: ${why}; a run name is one folder name`);
  if (name.trim() === "") throw bad("empty");
  if (name === "." || name === "..") throw bad("not a folder of its own");
  if (/[/\\]/.test(name)) throw bad("contains a path separator");
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) throw bad("contains a control character");
  if (name.startsWith(".")) throw bad("starts with a dot (hidden names are the kit's own)");
  if (name !== name.trim()) throw bad("starts or ends with white space");
  return name;
}

/** Paths inside a run directory. */
export function runPaths(dir: string) {
  return {
    dir,
    marker: `${dir}/${RUN_MARKER}`,
    config: `${dir}/config.json`,
    metrics: `${dir}/metrics.jsonl`,
    samples: `${dir}/samples.jsonl`,
    evalDir: `${dir}/eval`,
    evalItems: (step: number) => `${dir}/eval/step-${String(step).padStart(6, "0")}.jsonl`,
    reference: `${dir}/reference`,
    checkpoint: `${dir}/checkpoint`,
    report: `${dir}/report.html`,
  };
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Whether anything exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return (await statOrNull(path)) !== null;
}

/** What is at an output path. */
export type OutputDirState =
  | { readonly state: "absent" }
  | { readonly state: "not-a-directory" }
  | { readonly state: "empty" }
  /** A directory the kit made: its marker, or (older runs) a kit config.json or checkpoint. */
  | { readonly state: "kit"; readonly kind: OutputDirKind | "legacy" }
  /** A non-empty directory the kit did not make: never written into, never removed. */
  | { readonly state: "foreign"; readonly entries: readonly string[] };

async function readJsonOrNull(path: string): Promise<Record<string, unknown> | null> {
  try {
    const value = JSON.parse(await Deno.readTextFile(path));
    return typeof value === "object" && value !== null ? value : null;
  } catch {
    return null;
  }
}

/**
 * Classifies an output path. A directory counts as the kit's when it holds the marker file, or
 * (directories written before the marker existed) a run `config.json` with the kit's keys, or a
 * compare directory's `train-config.json`, or a checkpoint sidecar with the kit's format tag.
 */
export async function inspectOutputDir(dir: string): Promise<OutputDirState> {
  const info = await statOrNull(dir);
  if (info === null) return { state: "absent" };
  if (!info.isDirectory) return { state: "not-a-directory" };
  const entries: string[] = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry.name);
  // a directory holding only the kit's marker was claimed but never written: as good as empty
  if (entries.every((name) => name === RUN_MARKER)) return { state: "empty" };
  const marker = await readJsonOrNull(`${dir}/${RUN_MARKER}`);
  if (marker?.kit === "irpm-kit" && typeof marker.kind === "string") {
    return { state: "kit", kind: marker.kind as OutputDirKind };
  }
  const config = await readJsonOrNull(`${dir}/config.json`);
  if (config && typeof config.config === "object" && typeof config.dataFingerprint === "string") {
    return { state: "kit", kind: "legacy" };
  }
  const sidecar = await readJsonOrNull(`${dir}/checkpoint.json`);
  if (sidecar?.format === "irpm-kit-checkpoint") return { state: "kit", kind: "legacy" };
  if (entries.includes("train-config.json") && entries.includes("train-seconds.json")) {
    return { state: "kit", kind: "legacy" };
  }
  return { state: "foreign", entries: entries.sort() };
}

/**
 * Writes the marker file (first thing in every directory the kit creates).
 */
export async function writeRunMarker(dir: string, kind: OutputDirKind): Promise<void> {
  await writingTo(
    `${dir}/${RUN_MARKER}`,
    () =>
      Deno.writeTextFile(
        `${dir}/${RUN_MARKER}`,
        JSON.stringify({ kit: "irpm-kit", kind, created: new Date().toISOString() }) + "\n",
      ),
  );
}

/**
 * The one rule for a directory a CLI is about to (re)create: absent or empty is fine; the kit's own
 * is refused unless `force` (then it is removed, or kept when `keep` says its files are replaced in
 * place); anything else is refused, `force` or not. Returns whether the directory already existed.
 * `what` names the flag or path in messages; `again` is a command that continues it instead.
 */
export async function claimOutputDir(
  dir: string,
  options: {
    force: boolean;
    kind: OutputDirKind;
    what: string;
    again?: string;
    keep?: boolean;
  },
): Promise<{ existed: boolean }> {
  const found = await inspectOutputDir(dir);
  switch (found.state) {
    case "absent":
      await writingTo(dir, () => Deno.mkdir(dir, { recursive: true }));
      await writeRunMarker(dir, options.kind);
      return { existed: false };
    case "empty":
      await writeRunMarker(dir, options.kind);
      return { existed: false };
    case "not-a-directory":
      throw new RunDirError(`${options.what} ${dir}: exists and is not a directory`);
    case "foreign":
      throw new RunDirError(
        `${options.what} ${dir}: exists and was not made by the kit (holds ${
          found.entries.slice(0, 3).join(", ")
        }${found.entries.length > 3 ? ", ..." : ""}); it is never overwritten or removed, ` +
          `--force or not: choose another path`,
      );
    case "kit":
      if (!options.force) {
        throw new RunDirError(
          `${options.what} ${dir} already exists: ${
            options.again ? `continue it with ${options.again}, or ` : ""
          }pass --force to replace it, or choose another path`,
        );
      }
      if (!options.keep) {
        await Deno.remove(dir, { recursive: true });
        await writingTo(dir, () => Deno.mkdir(dir, { recursive: true }));
      }
      await writeRunMarker(dir, options.kind);
      return { existed: true };
  }
}

/** The parent folder and the last segment of a path. */
function splitPath(dir: string): { parent: string; base: string } {
  const trimmed = dir.replace(/\/+$/, "");
  const cut = trimmed.lastIndexOf("/");
  return cut < 0
    ? { parent: ".", base: trimmed }
    : { parent: cut === 0 ? "/" : trimmed.slice(0, cut), base: trimmed.slice(cut + 1) };
}

/** A run directory being built under a hidden name; {@link commitRunDir} renames it into place. */
export interface StagedRunDir {
  /** Where the files go until the commit. */
  readonly staging: string;
  /** The run directory it becomes. */
  readonly dir: string;
  /** Whether `--force` is replacing an existing kit run. */
  readonly replaces: boolean;
}

/**
 * Checks that a new run may be created at `dir`: nothing there, an empty directory, or (with
 * `force`) a run the kit made. Anything else throws a {@link RunDirError} naming what to do.
 */
export async function checkNewRunDir(
  dir: string,
  options: { force: boolean; again?: string },
): Promise<OutputDirState> {
  const found = await inspectOutputDir(dir);
  if (found.state === "not-a-directory") {
    throw new RunDirError(`run directory ${dir}: exists and is not a directory`);
  }
  if (found.state === "foreign") {
    throw new RunDirError(
      `run directory ${dir}: exists and was not made by the kit (holds ${
        found.entries.slice(0, 3).join(", ")
      }${found.entries.length > 3 ? ", ..." : ""}); it is never overwritten or removed, ` +
        `--force or not: choose another --name`,
    );
  }
  if (found.state === "kit" && !options.force) {
    throw new RunDirError(
      `run directory ${dir} already exists: ${
        options.again ? `continue it with ${options.again}, or ` : ""
      }pass --force to start it again, or choose another --name`,
    );
  }
  return found;
}

/**
 * Starts a new run directory: checks the target with {@link claimOutputDir}'s rule (without touching
 * it yet), removes staging leftovers of interrupted starts of the same name, and creates
 * `<parent>/.<name>.partial-<id>/` with the marker and `eval/`. Nothing exists at `dir` until
 * {@link commitRunDir}; {@link abandonRunDir} removes the staging directory.
 */
export async function stageRunDir(
  dir: string,
  options: { force: boolean; again?: string; kind?: OutputDirKind },
): Promise<StagedRunDir> {
  const found = await checkNewRunDir(dir, options);
  const { parent, base } = splitPath(dir);
  await writingTo(parent, () => Deno.mkdir(parent, { recursive: true }));
  for await (const entry of Deno.readDir(parent)) {
    if (entry.isDirectory && entry.name.startsWith(`.${base}.partial-`)) {
      const leftover = `${parent}/${entry.name}`;
      if ((await inspectOutputDir(leftover)).state === "kit") {
        await Deno.remove(leftover, { recursive: true });
      }
    }
  }
  const staging = `${parent}/.${base}.partial-${crypto.randomUUID().slice(0, 8)}`;
  await writingTo(staging, () => Deno.mkdir(`${staging}/eval`, { recursive: true }));
  await writeRunMarker(staging, options.kind ?? "train");
  return { staging, dir, replaces: found.state === "kit" || found.state === "empty" };
}

/** Moves a staged run directory into place (replacing the kit run `--force` named). */
export async function commitRunDir(staged: StagedRunDir): Promise<void> {
  if (staged.replaces && (await pathExists(staged.dir))) {
    await Deno.remove(staged.dir, { recursive: true });
  }
  await writingTo(staged.dir, () => Deno.rename(staged.staging, staged.dir));
}

/** Removes a staging directory after a failed start (nothing of the run is left). */
export async function abandonRunDir(staged: StagedRunDir): Promise<void> {
  await Deno.remove(staged.staging, { recursive: true }).catch(() => {});
}

/**
 * Creates a fresh run directory in one go (marker + `eval/`), for runs whose first files are cheap
 * (the baselines); an existing kit run is replaced only with `force`, anything else is refused.
 */
export async function createRunDir(
  dir: string,
  options: { force: boolean; again?: string },
): Promise<void> {
  const staged = await stageRunDir(dir, options);
  await commitRunDir(staged);
}

/** Writes a file atomically (temp file + rename); a failure names the path. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await writingTo(path, async () => {
    try {
      await Deno.writeTextFile(tmp, text);
      await Deno.rename(tmp, path);
    } catch (error) {
      await Deno.remove(tmp).catch(() => {});
      throw error;
    }
  });
}

/** Appends records as JSON lines; a failure names the path. */
export async function appendJsonl(path: string, records: readonly unknown[]): Promise<void> {
  if (records.length === 0) return;
  await writingTo(
    path,
    () =>
      Deno.writeTextFile(path, records.map((r) => JSON.stringify(r) + "\n").join(""), {
        append: true,
      }),
  );
}

/** Reads a JSONL file written by the kit (missing file: empty). */
export async function readJsonlRecords<T>(path: string): Promise<T[]> {
  if (!(await pathExists(path))) return [];
  const records: T[] = [];
  (await Deno.readTextFile(path)).split("\n").forEach((l, i) => {
    if (l.trim() === "") return; // blank lines are skipped but still counted in line numbers
    try {
      records.push(JSON.parse(l) as T);
    } catch {
      throw new SyntaxError(`${path}:${i + 1}: not valid JSON`);
    }
  });
  return records;
}

/**
 * Drops lines logged after `step` (a resumed run continues from its checkpoint, so lines written
 * after that checkpoint by the interrupted process would be duplicated), and a last line that the
 * interrupted process left half-written (no newline, not valid JSON). Returns the lines dropped.
 */
export async function truncateAfterStep(path: string, step: number): Promise<number> {
  let partial = 0;
  if (await pathExists(path)) {
    const text = await Deno.readTextFile(path);
    const cut = text.lastIndexOf("\n") + 1;
    const tail = text.slice(cut);
    if (tail.trim() !== "" && !isJson(tail)) {
      await writeFileAtomic(path, text.slice(0, cut));
      partial = 1;
    }
  }
  const records = await readJsonlRecords<{ step: number }>(path);
  const kept = records.filter((r) => r.step <= step);
  await writeFileAtomic(path, kept.map((r) => JSON.stringify(r) + "\n").join(""));
  return records.length - kept.length + partial;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads what the report needs from a run directory. */
export async function readRunLogs(
  dir: string,
): Promise<{ lines: MetricsLine[]; samples: SampleLine[] }> {
  const paths = runPaths(dir);
  return {
    lines: await readJsonlRecords<MetricsLine>(paths.metrics),
    samples: await readJsonlRecords<SampleLine>(paths.samples),
  };
}
