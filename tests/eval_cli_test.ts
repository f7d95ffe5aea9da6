/**
 * End-to-end tests of `deno task eval` on tiny random checkpoints of every kind: the markdown
 * report, the JSON summary and per-item JSONL agreeing with each other, the RM-Bench and
 * JudgeBench paths, and bad input (flags, data rows, checkpoints) exiting with status 2.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { initBackend } from "../model/backend.ts";
import { writeRandomJudge } from "../eval_run/_testing.ts";
import { runCli } from "./_cli.ts";

const evalCli = (args: string[]) => runCli("cli/eval.ts", ["--backend", "cpu", ...args]);

async function withCheckpoints(fn: (dir: string) => Promise<void>): Promise<void> {
  await initBackend("cpu");
  const dir = await Deno.makeTempDir();
  try {
    for (const kind of ["pointwise", "pairwise", "scalar"] as const) {
      await writeRandomJudge(`${dir}/${kind}`, kind);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("eval CLI: synthetic data, two judges, markdown + JSON + items that agree", async () => {
  await withCheckpoints(async (dir) => {
    const r = await evalCli([
      `${dir}/pointwise`,
      "--checkpoint",
      `${dir}/scalar`,
      "--test-size",
      "6",
      "--ks",
      "1,2",
      "--calibration-sets",
      "2",
      "--max-new-tokens",
      "10",
      "--json",
      `${dir}/out.json`,
      "--items",
      `${dir}/items.jsonl`,
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertStringIncludes(r.stdout, "## Pairwise accuracy on synthetic");
    assertStringIncludes(r.stdout, "## Calibration");
    assertStringIncludes(r.stderr, "pointwise judgments 36/36"); // 12 responses x (1 + 2)
    const json = JSON.parse(await Deno.readTextFile(`${dir}/out.json`));
    assertEquals(json.judges.map((j: { kind: string }) => j.kind), ["pointwise", "scalar"]);
    assertEquals(json.data.pairs, 6);
    const items = (await Deno.readTextFile(`${dir}/items.jsonl`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    const pairs = items.filter((i) => i.record === "pair" && i.kind === "scalar");
    assertEquals(pairs.length, 6);
    const recomputed = pairs.reduce((a, p) => a + p.irpm, 0) / 6;
    assertEquals(json.judges[1].summary.overall.accuracy, recomputed);
    // Each scalar pair's outcome follows from its two traced rewards.
    for (const p of pairs) assertEquals(p.strict, p.chosen.reward > p.rejected.reward ? 1 : 0);
    assertEquals(items.filter((i) => i.record === "calibration").length, 2 * 2 * 4);
  });
});

Deno.test("eval CLI: RM-Bench levels and JudgeBench both-order figures", async () => {
  await withCheckpoints(async (dir) => {
    const rm = await evalCli([
      `${dir}/scalar`,
      `${dir}/pairwise`,
      "--data",
      "rm-bench",
      "--data-path",
      "data/samples/rm_bench_sample.jsonl",
      "--ks",
      "1",
      "--quiet",
    ]);
    assertEquals(rm.code, 0, rm.stderr);
    assertStringIncludes(rm.stdout, "## RM-Bench");
    assertEquals(rm.stderr.includes("eval:"), false); // --quiet
    await Deno.writeTextFile(
      `${dir}/jb.jsonl`,
      '{"question":"2+2=","response_A":"4","response_B":"5","label":"A>B"}\n' +
        '{"question":"9+1=","response_A":"11","response_B":"10","label":"B>A"}\n',
    );
    const jb = await evalCli([
      `${dir}/pointwise`,
      "--data",
      "judgebench",
      "--data-path",
      `${dir}/jb.jsonl`,
      "--ks",
      "1",
      "--max-new-tokens",
      "8",
    ]);
    assertEquals(jb.code, 0, jb.stderr);
    assertStringIncludes(jb.stdout, "## Both orders");
  });
});

Deno.test("eval CLI: bad input exits 2 with one message naming the flag, line or file", async () => {
  await withCheckpoints(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.jsonl`, '{"prompt":"p","chosen":"a"}\n');
    const jbLine = '{"question":"caf?","response_A":"a","response_B":"b","label":"A>B"}\n';
    const latin1 = new TextEncoder().encode(jbLine + jbLine);
    latin1[jbLine.length + 16] = 0xe9; // "café" in Latin-1 on line 2, column 17
    await Deno.writeFile(`${dir}/latin1.jsonl`, latin1);
    const cases: [string[], string][] = [
      [[], "no checkpoint given"],
      [[`${dir}/pointwise`, "--data", "pairwise"], "--data pairwise needs --data-path"],
      [[`${dir}/pointwise`, "--data-path", "x.jsonl"], "--data-path needs a file format"],
      [
        [`${dir}/pointwise`, "--ks", "1,x"],
        '--ks: expected comma-separated integers >= 1, got "1,x"',
      ],
      [[`${dir}/pointwise`, "--frobnicate"], 'unknown flag "--frobnicate"'],
      [
        [`${dir}/pointwise`, "--data", "pairwise", "--data-path", `${dir}/bad.jsonl`],
        `${dir}/bad.jsonl:1: field "rejected": missing`,
      ],
      [[`${dir}/nowhere`], `${dir}/nowhere/model.safetensors: missing`],
      [
        [`${dir}/pointwise`, "--data", "pairwise", "--data-path", `${dir}/none.jsonl`],
        `eval: ${dir}/none.jsonl: file not found`,
      ],
      [
        [`${dir}/pointwise`, "--data", "rm-bench", "--data-path", dir],
        `eval: ${dir}: is a directory`,
      ],
      [
        [`${dir}/pointwise`, "--data", "judgebench", "--data-path", `${dir}/latin1.jsonl`],
        `eval: ${dir}/latin1.jsonl:2: not valid UTF-8 (byte 0xe9 at column 17)`,
      ],
      [[`${dir}/pointwise`, "--test-size", "0x10"], '--test-size: expected an integer, got "0x10"'],
    ];
    for (const [args, message] of cases) {
      const r = await evalCli(args);
      assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assertStringIncludes(r.stderr, message);
      assert(!r.stderr.includes("    at "), "no stack trace");
    }
  });
});

Deno.test("eval CLI: a file of triplicates scores like the file without the copies", async () => {
  await withCheckpoints(async (dir) => {
    // A cycle a > b > c > a: no scalar judge wins all three or loses all three, so accuracy is in
    // (0, 1) and its standard error sqrt(p (1 - p) / n) shows n. Copies of the three pairs would
    // have shrunk it by sqrt(3) had they counted.
    const row = (chosen: string, rejected: string) =>
      JSON.stringify({ prompt: "Which answer is best?", chosen, rejected });
    const distinct = [row("a", "b"), row("b", "c"), row("c", "a")];
    const copies = [...distinct, ...distinct, row("b", "a"), row("b", "c"), row("c", "a")];
    await Deno.writeTextFile(`${dir}/distinct.jsonl`, distinct.join("\n") + "\n");
    await Deno.writeTextFile(`${dir}/triple.jsonl`, copies.join("\n") + "\n");
    const run = async (file: string) => {
      const r = await evalCli([
        `${dir}/scalar`,
        "--data",
        "pairwise",
        "--data-path",
        `${dir}/${file}`,
        "--quiet",
        "--json",
        `${dir}/${file}.json`,
      ]);
      assertEquals(r.code, 0, r.stderr);
      return { stderr: r.stderr, json: JSON.parse(await Deno.readTextFile(`${dir}/${file}.json`)) };
    };
    const once = await run("distinct.jsonl");
    const thrice = await run("triple.jsonl");
    const overall = (json: { judges: { summary: { overall: Record<string, number> } }[] }) => {
      const { n, accuracy, accuracySe, strictAccuracy, strictAccuracySe } =
        json.judges[0].summary.overall;
      return { n, accuracy, accuracySe, strictAccuracy, strictAccuracySe };
    };
    assertEquals(overall(thrice.json), overall(once.json));
    assertEquals(overall(once.json).n, 3);
    assert(overall(once.json).accuracySe > 0);
    assertEquals(once.json.data.duplicates_dropped, 0);
    assertEquals(thrice.json.data, {
      format: "pairwise",
      source: `${dir}/triple.jsonl`,
      pairs: 3,
      duplicates_dropped: 6,
    });
    // One line on stderr even with --quiet: n is smaller than the file's row count.
    assertEquals(once.stderr, "");
    assertEquals(
      thrice.stderr,
      `eval: ${dir}/triple.jsonl: dropped 6 duplicate pairs (line 4 repeats line 1, line 5 ` +
        "repeats line 2, line 6 repeats line 3, line 7 repeats line 1 with sides swapped, line 8 " +
        "repeats line 2; first 5 shown)\n",
    );
  });
});

Deno.test("eval CLI: prompts cut to fit the context are counted, not cut silently", async () => {
  await withCheckpoints(async (dir) => {
    const out = await evalCli([
      `${dir}/pointwise`,
      "--data",
      "helpsteer3",
      "--data-path",
      "data/samples/helpsteer3_sample.jsonl",
      "--ks",
      "1",
      "--max-new-tokens",
      "12",
      "--quiet",
    ]);
    assertEquals(out.code, 0, out.stderr);
    // 6 pairs pass the filters; every HelpSteer3 prompt is longer than the tiny context's room
    assertStringIncludes(
      out.stderr,
      `eval ${dir}/pointwise: note: 12 of 12 judge prompts are longer than the 52 tokens`,
    );
  });
});

Deno.test("eval CLI: --readout expected counts each pair by its expected scores, traced per item", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shipped = "checkpoints/warmstart-small";
    const run = (readout: string) =>
      runCli("cli/eval.ts", [
        shipped,
        "--test-size",
        "24",
        "--ks",
        "1",
        "--readout",
        readout,
        "--json",
        `${dir}/${readout}.json`,
        "--items",
        `${dir}/${readout}.jsonl`,
      ]);
    for (const readout of ["greedy", "expected"]) {
      const r = await run(readout);
      assertEquals(r.code, 0, r.stderr);
    }
    const summary = async (name: string) =>
      JSON.parse(await Deno.readTextFile(`${dir}/${name}.json`)).judges[0].summary.overall;
    const [greedy, expected] = [await summary("greedy"), await summary("expected")];
    // the warm-start scores most responses 10 or 0: greedy ties often; expected scores do not
    assert(greedy.tieRate > 0.2, `greedy ties ${greedy.tieRate}`);
    assertEquals(expected.tieRate, 0);
    const items = (await Deno.readTextFile(`${dir}/expected.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l)).filter((i) => i.record === "pair");
    assertEquals(items.length, 24);
    for (const p of items) {
      // each outcome follows from the two traced expected scores, not the greedy digits
      assertEquals(p.strict, p.chosen.expected > p.rejected.expected ? 1 : 0);
      assert(p.chosen.expected >= 0 && p.chosen.expected <= 10);
    }
    assertEquals(items.reduce((a, p) => a + p.irpm, 0) / 24, expected.accuracy);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
