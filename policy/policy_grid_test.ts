import { assertAlmostEquals, assertEquals, assertMatch } from "@std/assert";
import { initBackend } from "../model/backend.ts";
import { readJsonlRecords } from "../train/run_dir.ts";
import { runCli } from "../tests/_cli.ts";
import { writeTinyJudge, writeTinyPolicyStart } from "./_testing.ts";

type Line = Record<string, unknown>;

Deno.test("deno task policy:grid: runs the cells, summarises them from their own logs, ships results, skips finished cells", async () => {
  await initBackend("wasm");
  const dir = await Deno.makeTempDir({ prefix: "policy-grid-test-" });
  try {
    await writeTinyPolicyStart(`${dir}/start`);
    await writeTinyJudge(`${dir}/irpm`, "pointwise");
    const grid = {
      name: "g",
      claim: "test",
      base: {
        steps: 2,
        promptsPerStep: 2,
        evalPrompts: 8,
        evalSamples: 0,
        policyStart: `${dir}/start`,
      },
      judgeCheckpoints: { irpm: `${dir}/irpm` },
      vary: { judge: ["oracle", "irpm"], samplesPerPrompt: [2, 3] },
      seeds: [0],
    };
    await Deno.writeTextFile(`${dir}/grid.json`, JSON.stringify(grid));
    const args = [
      `${dir}/grid.json`,
      "--run-dir",
      dir,
      "--jobs",
      "2",
      "--results",
      `${dir}/results`,
    ];
    const out = await runCli("cli/policy_grid.ts", args);
    assertEquals(out.code, 0, out.stdout + out.stderr);
    assertMatch(out.stdout, /4 cells \(0 finished, 4 to run\)/);
    const rows = (await readJsonlRecords<Line>(`${dir}/results/summary.jsonl`))
      .filter((l) => l.kind === "row");
    assertEquals(rows.map((r) => [r.judge, r.n]), [
      ["no RL", null],
      ["oracle", 2],
      ["oracle", 3],
      ["irpm", 2],
      ["irpm", 3],
    ]);
    // each row's quality is its run's final eval line; calls are n per prompt (irpm), 0 (oracle)
    for (const row of rows.slice(1)) {
      const name = `judge-${row.judge}_samples-per-prompt-${row.n}_seed-0`;
      const lines = await readJsonlRecords<Line>(`${dir}/g/${name}/metrics.jsonl`);
      const final = lines.filter((l) => l.kind === "eval").at(-1)!;
      assertEquals(final.step, 2);
      assertAlmostEquals(
        (row.quality as { mean: number }).mean,
        Number(final["eval/quality"]),
        1e-12,
      );
      assertEquals(row.callsPerStep, row.judge === "oracle" ? 0 : 2 * Number(row.n));
    }
    const provenance = JSON.parse(await Deno.readTextFile(`${dir}/results/provenance.json`));
    assertEquals([provenance.kind, provenance.judgeCheckpoints], ["policy", {
      irpm: `${dir}/irpm`,
    }]);
    assertEquals(provenance.runs.length, 4);
    assertEquals((await readJsonlRecords<Line>(`${dir}/results/curves.jsonl`)).length, 4);
    const again = await runCli("cli/policy_grid.ts", args);
    assertEquals(again.code, 0);
    assertMatch(again.stdout, /4 cells \(4 finished, 0 to run\)/);
    // a bad grid names the field
    await Deno.writeTextFile(
      `${dir}/bad.json`,
      JSON.stringify({ ...grid, vary: { judg: ["irpm"] } }),
    );
    const bad = await runCli("cli/policy_grid.ts", [`${dir}/bad.json`, "--run-dir", dir]);
    assertEquals(bad.code, 2);
    assertMatch(
      bad.stderr,
      /bad.json: field "vary.judg\[0\]": unknown config key \(see deno task policy --help\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
