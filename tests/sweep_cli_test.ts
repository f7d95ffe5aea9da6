/**
 * `deno task sweep` end to end on tiny grids: two jobs produce the summary (its numbers equal the
 * runs' own eval lines), an interrupted sweep skips finished cells and resumes the cut one, a
 * malformed grid exits 2 naming the field and writes nothing, --print-commands and --collect.
 */
import { loadBlas } from "../model/blas.ts";
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { messageLines, runCli, withTempDir } from "./_cli.ts";
import {
  curveColumn,
  curveSeries,
  loadAblationResults,
} from "../notebooks/lib/ablation_results.ts";

const root = new URL("..", import.meta.url).pathname;
const sweep = (args: string[]) => runCli("cli/sweep.ts", args);

const BASE = {
  warmStart: "off",
  preset: "tiny",
  batchPairs: 2,
  evalPairs: 4,
  testSize: 8,
  trainSize: 200,
  maxNewTokens: 12,
  warmupSteps: 1,
  lr: 0.01,
  steps: 3,
  evalEvery: 0,
};

const inTemp = (fn: (dir: string) => Promise<void>) => withTempDir(fn, "irpm-sweep-");

async function lines(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("sweep: a 2 x 2 grid with 2 jobs writes the summary of its runs", async () => {
  await inTemp(async (dir) => {
    const grid = {
      name: "g",
      claim: "tiny",
      base: BASE,
      vary: { groupSize: [2, 3] },
      seeds: [0, 1],
      baseline: { groupSize: 2 },
    };
    await Deno.writeTextFile(`${dir}/g.json`, JSON.stringify(grid));
    const out = await sweep([
      `${dir}/g.json`,
      "--jobs",
      "2",
      "--run-dir",
      dir,
      "--results",
      `${dir}/res`,
    ]);
    assertEquals(out.code, 0, out.stderr + out.stdout);
    assertStringIncludes(out.stdout, "4 cells (0 finished, 4 to run), 2 at a time");
    assertStringIncludes(out.stdout, "| group-size-3 | 2 |");
    const summary = await lines(`${dir}/g/summary.jsonl`);
    const cells = summary.filter((l) => l.kind === "cell");
    assertEquals(cells.map((c) => [c.group, c.seeds]), [["group-size-2", [0, 1]], ["group-size-3", [
      0,
      1,
    ]]]);
    // every summary number traces back to the runs' eval lines
    for (const cell of cells) {
      const finals = [];
      for (const seed of [0, 1]) {
        const m = await lines(`${dir}/g/${cell.group}_seed-${seed}/metrics.jsonl`);
        finals.push(m.filter((l) => l.kind === "eval").at(-1)!["eval/accuracy"] as number);
      }
      const metrics = cell.metrics as Record<string, { mean: number }>;
      assertAlmostEquals(metrics.accuracy.mean, (finals[0] + finals[1]) / 2, 1e-12);
    }
    for (const f of ["summary.md", "summary.jsonl", "curves.jsonl", "provenance.json"]) {
      assert((await Deno.stat(`${dir}/res/${f}`)).size > 0, f);
    }
    // the notebooks' loader reads the shipped files back; curves end where the summary does
    const loaded = (await loadAblationResults(`${dir}/res`))!;
    assertEquals([loaded.grid, loaded.baseline, loaded.rows.length, loaded.curves.length], [
      "g",
      "group-size-2",
      2,
      4,
    ]);
    const accuracy = curveSeries(loaded, {
      source: "eval",
      column: curveColumn(loaded, { source: "eval", field: "eval/accuracy" }),
    });
    for (const [i, series] of accuracy.entries()) {
      assertAlmostEquals(series.y.at(-1)!, loaded.rows[i].metrics.accuracy.mean!, 1e-4);
    }
    assertEquals(await loadAblationResults(`${dir}/nothing-here`), null);
    const provenance = JSON.parse(await Deno.readTextFile(`${dir}/res/provenance.json`));
    assertEquals(provenance.runs.length, 4);
    // the backend each cell started (the default, auto: blas where OpenBLAS loads, else wasm)
    assertEquals(provenance.runs[0].backend, loadBlas() === null ? "wasm" : "blas");
    // a second run has nothing left to do
    const again = await sweep([`${dir}/g.json`, "--jobs", "2", "--run-dir", dir]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "4 cells (4 finished, 0 to run)");
    const commands = await sweep([`${dir}/g.json`, "--run-dir", dir, "--print-commands"]);
    assertEquals(commands.stdout, ""); // all finished: nothing to schedule
    const collected = await sweep([`${dir}/g.json`, "--run-dir", dir, "--collect"]);
    assertEquals(collected.code, 0, collected.stderr);
    assertStringIncludes(collected.stdout, "| group-size-2 | 2 |");
  });
});

Deno.test("sweep: interrupted, it skips finished cells and resumes the cut-off one", async () => {
  await inTemp(async (dir) => {
    const grid = {
      name: "k",
      base: { ...BASE, steps: 40, checkpointEvery: 2, groupSize: 2 },
      seeds: [0, 1],
    };
    await Deno.writeTextFile(`${dir}/k.json`, JSON.stringify(grid));
    const commands = await sweep([`${dir}/k.json`, "--run-dir", dir, "--print-commands"]);
    assertEquals(commands.stdout.trim().split("\n").length, 2);
    assertStringIncludes(
      commands.stdout,
      `deno task train --config ${dir}/k/configs/base_seed-0.json`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "cli/sweep.ts", `${dir}/k.json`, "--jobs", "1", "--run-dir", dir],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const trained = async (cell: string) => {
      try {
        return (await lines(`${dir}/k/${cell}/metrics.jsonl`)).filter((l) => l.kind === "train")
          .length;
      } catch {
        return 0;
      }
    };
    const end = Date.now() + 300_000;
    while ((await trained("base_seed-1")) < 5) {
      assert(Date.now() < end, "timed out");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGTERM");
    const stopped = await child.output();
    assertEquals(stopped.code, 130);
    assertStringIncludes(new TextDecoder().decode(stopped.stdout), "run the same command again");
    const first = await Deno.readTextFile(`${dir}/k/base_seed-0/metrics.jsonl`);
    const again = await sweep([`${dir}/k.json`, "--jobs", "1", "--run-dir", dir]);
    assertEquals(again.code, 0, again.stderr + again.stdout);
    assertStringIncludes(again.stdout, "2 cells (1 finished, 1 to run)");
    assertStringIncludes(again.stdout, "start base_seed-1 (resuming)");
    assertEquals(await Deno.readTextFile(`${dir}/k/base_seed-0/metrics.jsonl`), first); // skipped
    const log = await Deno.readTextFile(`${dir}/k/logs/base_seed-1.log`);
    assertStringIncludes(log, "train: resuming");
    const steps = (await lines(`${dir}/k/base_seed-1/metrics.jsonl`)).filter((l) =>
      l.kind === "train"
    )
      .map((l) => l.step);
    assertEquals(steps, Array.from({ length: 40 }, (_, i) => i + 1)); // no step lost or repeated
  });
});

Deno.test("sweep: a malformed grid exits 2 naming the field and writes nothing", async () => {
  await inTemp(async (dir) => {
    const cases: [unknown, string][] = [
      [
        { name: "b", seeds: [0], vary: { groupSize: [2] }, extra: 1 },
        'field "extra": unknown grid key',
      ],
      [
        { name: "b", seeds: [], vary: { groupSize: [2] } },
        'field "seeds": expected a non-empty list',
      ],
      [{ name: "b", seeds: [0], vary: { groupSize: [2, "x"] } }, 'field "vary.groupSize[1]"'],
      [{ name: "b", seeds: [0], vary: { lrr: [1] } }, 'field "vary.lrr[0]": unknown config key'],
      [
        { name: "b", seeds: [0], base: { seed: 3 } },
        'field "base.seed": seeds go in the "seeds" list',
      ],
      [
        { name: "b", seeds: [0], vary: { groupSize: [1] } },
        "cell group-size-1_seed-0: --group-size 1",
      ],
      [{ name: "../b", seeds: [0] }, 'field "name"'],
      [{ name: "b", seeds: [0], base: { steps: 1e999 } }, 'field "base.steps"'],
    ];
    for (const [grid, message] of cases) {
      await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify(grid).replace("1e+999", "1e999"));
      const out = await sweep([`${dir}/bad.json`, "--run-dir", `${dir}/runs`]);
      assertEquals(out.code, 2, `${message}: ${out.stderr}`);
      assertStringIncludes(out.stderr, `${dir}/bad.json: `);
      assertStringIncludes(out.stderr, message);
      assertEquals(messageLines(out.stderr).length, 1, out.stderr);
    }
    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    const json = await sweep([`${dir}/bad.json`, "--run-dir", `${dir}/runs`]);
    assertEquals(json.code, 2);
    assertStringIncludes(json.stderr, "not valid JSON");
    const missing = await sweep([`${dir}/none.json`]);
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.stderr, `${dir}/none.json: file not found`);
    assertEquals(await Deno.stat(`${dir}/runs`).then(() => true, () => false), false);
  });
});
