import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  appendJsonl,
  createRunDir,
  readJsonlRecords,
  readRunLogs,
  runPaths,
  truncateAfterStep,
  writeFileAtomic,
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
    await assertRejects(() => createRunDir(dir, { force: false }), Error, `--resume ${dir}`);
    assertEquals(await Deno.readTextFile(`${dir}/metrics.jsonl`), "{}\n"); // untouched
    await createRunDir(dir, { force: true });
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["eval"]);
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
