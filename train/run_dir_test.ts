import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  abandonRunDir,
  appendJsonl,
  claimOutputDir,
  commitRunDir,
  createRunDir,
  inspectOutputDir,
  pathExists,
  readJsonlRecords,
  readRunLogs,
  RUN_MARKER,
  RunDirError,
  runPaths,
  RunWriteError,
  stageRunDir,
  truncateAfterStep,
  writeFileAtomic,
  writeRunMarker,
} from "./run_dir.ts";

async function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("runPaths: the run directory layout", () => {
  const p = runPaths("runs/r");
  assertEquals(p.metrics, "runs/r/metrics.jsonl");
  assertEquals(p.evalItems(3), "runs/r/eval/step-000003.jsonl");
  assertEquals(p.checkpoint, "runs/r/checkpoint");
});

Deno.test("createRunDir: refuses an existing run unless forced, then starts it empty", async () => {
  await inTemp(async (root) => {
    const dir = `${root}/r`;
    await createRunDir(dir, { force: false });
    assert((await Deno.stat(`${dir}/eval`)).isDirectory);
    await Deno.writeTextFile(`${dir}/metrics.jsonl`, "{}\n");
    const again = `deno task train --resume ${dir}`;
    await assertRejects(() => createRunDir(dir, { force: false, again }), Error, again);
    assertEquals(await Deno.readTextFile(`${dir}/metrics.jsonl`), "{}\n"); // untouched
    await createRunDir(dir, { force: true });
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [".irpm-run.json", "eval"]);
  });
});

Deno.test("inspectOutputDir: absent, empty, kit (marker or older files), foreign, a file", async () => {
  await inTemp(async (root) => {
    assertEquals(await inspectOutputDir(`${root}/none`), { state: "absent" });
    await Deno.mkdir(`${root}/empty`);
    assertEquals(await inspectOutputDir(`${root}/empty`), { state: "empty" });
    await writeRunMarker(`${root}/empty`, "train"); // claimed, never written: still empty
    assertEquals(await inspectOutputDir(`${root}/empty`), { state: "empty" });
    await Deno.mkdir(`${root}/run/eval`, { recursive: true });
    await writeRunMarker(`${root}/run`, "compare");
    assertEquals(await inspectOutputDir(`${root}/run`), { state: "kit", kind: "compare" });
    await Deno.mkdir(`${root}/old`);
    await Deno.writeTextFile(`${root}/old/config.json`, '{"config": {}, "dataFingerprint": "ab"}');
    assertEquals(await inspectOutputDir(`${root}/old`), { state: "kit", kind: "legacy" });
    await Deno.mkdir(`${root}/ckpt`);
    await Deno.writeTextFile(`${root}/ckpt/checkpoint.json`, '{"format": "irpm-kit-checkpoint"}');
    assertEquals(await inspectOutputDir(`${root}/ckpt`), { state: "kit", kind: "legacy" });
    await Deno.mkdir(`${root}/mine`);
    await Deno.writeTextFile(`${root}/mine/config.json`, '{"config": {}}'); // not the kit's
    await Deno.writeTextFile(`${root}/mine/b.txt`, "");
    assertEquals(await inspectOutputDir(`${root}/mine`), {
      state: "foreign",
      entries: ["b.txt", "config.json"],
    });
    await Deno.writeTextFile(`${root}/file`, "");
    assertEquals(await inspectOutputDir(`${root}/file`), { state: "not-a-directory" });
  });
});

Deno.test("claimOutputDir: creates, refuses without --force, replaces only the kit's", async () => {
  await inTemp(async (root) => {
    const opts = { force: false, kind: "compare" as const, what: "--run-dir", again: "X --reuse" };
    assertEquals(await claimOutputDir(`${root}/c`, opts), { existed: false });
    await Deno.writeTextFile(`${root}/c/compare.md`, "table");
    await assertRejects(
      () => claimOutputDir(`${root}/c`, opts),
      RunDirError,
      "continue it with X --reuse",
    );
    // keep: files replaced in place (a checkpoint folder may hold RECIPE.md)
    await claimOutputDir(`${root}/c`, { ...opts, force: true, keep: true });
    assertEquals(await Deno.readTextFile(`${root}/c/compare.md`), "table");
    await claimOutputDir(`${root}/c`, { ...opts, force: true });
    assertEquals([...Deno.readDirSync(`${root}/c`)].map((e) => e.name), [RUN_MARKER]);
    await Deno.mkdir(`${root}/mine`);
    await Deno.writeTextFile(`${root}/mine/a.txt`, "mine");
    await assertRejects(
      () => claimOutputDir(`${root}/mine`, { ...opts, force: true }),
      RunDirError,
      "was not made by the kit (holds a.txt)",
    );
    assertEquals(await Deno.readTextFile(`${root}/mine/a.txt`), "mine");
  });
});

Deno.test("stageRunDir: nothing at the run path until the commit; abandon leaves nothing", async () => {
  await inTemp(async (root) => {
    const staged = await stageRunDir(`${root}/r`, { force: false });
    assertEquals(await pathExists(`${root}/r`), false);
    assert(staged.staging.startsWith(`${root}/.r.partial-`));
    await abandonRunDir(staged);
    assertEquals([...Deno.readDirSync(root)], []);
    const again = await stageRunDir(`${root}/r`, { force: false });
    await Deno.writeTextFile(`${again.staging}/config.json`, "{}");
    await commitRunDir(again);
    assertEquals(await Deno.readTextFile(`${root}/r/config.json`), "{}");
    assertEquals([...Deno.readDirSync(root)].map((e) => e.name), ["r"]);
  });
});

Deno.test("writes into a run name the path that failed", async () => {
  await inTemp(async (root) => {
    const path = `${root}/missing/m.jsonl`;
    await assertRejects(() => appendJsonl(path, [{ a: 1 }]), RunWriteError, `cannot write ${path}`);
    await assertRejects(() => writeFileAtomic(path, "x"), RunWriteError, `cannot write ${path}`);
    await Deno.mkdir(`${root}/d`);
    await assertRejects(() => writeFileAtomic(`${root}/d`, "x"), RunWriteError);
    assertEquals([...Deno.readDirSync(`${root}/d`)], []); // no temp file left behind
    assertEquals([...Deno.readDirSync(root)].map((e) => e.name), ["d"]);
  });
});

Deno.test("JSONL: append, read back, truncate after a step; bad lines name file:line", async () => {
  await inTemp(async (dir) => {
    const path = `${dir}/m.jsonl`;
    assertEquals(await readJsonlRecords(path), []); // missing file: empty
    await appendJsonl(path, [{ step: 1 }, { step: 2, kind: "eval" }]);
    await appendJsonl(path, []);
    await appendJsonl(path, [{ step: 3 }, { step: 2, kind: "late" }]);
    assertEquals((await readJsonlRecords<{ step: number }>(path)).map((r) => r.step), [1, 2, 3, 2]);
    assertEquals(await truncateAfterStep(path, 2), 1);
    assertEquals(await readJsonlRecords(path), [{ step: 1 }, { step: 2, kind: "eval" }, {
      step: 2,
      kind: "late",
    }]);
    // lines 4 and 5 blank, 6 fine, 7 cut off (as by a kill during an append)
    await Deno.writeTextFile(path, '\n  \n{"step":1}\n{"step":', { append: true });
    await assertRejects(() => readJsonlRecords(path), SyntaxError, `${path}:7: not valid JSON`);
    // resuming drops the cut-off line (and the late line after step 1), keeping the rest
    assertEquals(await truncateAfterStep(path, 1), 3);
    assertEquals(await readJsonlRecords(path), [{ step: 1 }, { step: 1 }]);
    // a cut-off line in the middle is still an error naming its line
    await Deno.writeTextFile(path, '{"step":\n{"step":1}\n');
    await assertRejects(() => truncateAfterStep(path, 1), SyntaxError, `${path}:1: not valid JSON`);
  });
});

Deno.test("writeFileAtomic replaces the file and leaves no temp file; readRunLogs reads both logs", async () => {
  await inTemp(async (dir) => {
    await writeFileAtomic(`${dir}/config.json`, "a");
    await writeFileAtomic(`${dir}/config.json`, "b");
    assertEquals(await Deno.readTextFile(`${dir}/config.json`), "b");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["config.json"]);
    assertEquals(await readRunLogs(dir), { lines: [], samples: [] });
    await appendJsonl(`${dir}/samples.jsonl`, [{ step: 1, side: "chosen", scoreUsed: 3 }]);
    assertEquals((await readRunLogs(dir)).samples.length, 1);
  });
});
