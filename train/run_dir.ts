/**
 * The run directory on disk (`runs/<name>/`): config.json, metrics.jsonl, samples.jsonl,
 * eval/step-NNNNNN.jsonl (per-pair outputs behind every evaluation number), reference/ (the frozen
 * reference model), checkpoint/ (latest complete checkpoint) and report.html.
 *
 * This is the I/O edge of training; the CLI uses it.
 *
 * @module
 */
import type { MetricsLine, SampleLine } from "./report.ts";

/** Paths inside a run directory. */
export function runPaths(dir: string) {
  return {
    dir,
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

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Creates a fresh run directory; an existing one is refused unless `force` (then replaced). */
export async function createRunDir(dir: string, options: { force: boolean }): Promise<void> {
  if (await exists(dir)) {
    if (!options.force) {
      throw new Error(
        `run directory ${dir} already exists: continue it with --resume ${dir}, ` +
          `or pass --force to overwrite it, or choose another --name`,
      );
    }
    await Deno.remove(dir, { recursive: true });
  }
  await Deno.mkdir(`${dir}/eval`, { recursive: true });
}

/** Writes a file atomically (temp file + rename). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

/** Appends records as JSON lines. */
export async function appendJsonl(path: string, records: readonly unknown[]): Promise<void> {
  if (records.length === 0) return;
  await Deno.writeTextFile(path, records.map((r) => JSON.stringify(r) + "\n").join(""), {
    append: true,
  });
}

/** Reads a JSONL file written by the kit (missing file: empty). */
export async function readJsonlRecords<T>(path: string): Promise<T[]> {
  if (!(await exists(path))) return [];
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
  if (await exists(path)) {
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
