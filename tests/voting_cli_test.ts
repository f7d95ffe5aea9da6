/**
 * `deno task voting` end to end on the shipped warm-start: the table, the JSON with provenance,
 * and named errors for bad flags.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCli, withTempDir } from "./_cli.ts";

const voting = (args: string[]) => runCli("cli/voting.ts", args);

Deno.test("voting: greedy and voting@k rows with compute, critique ceilings, JSON provenance", async () => {
  await withTempDir(async (dir) => {
    const out = await voting([
      "checkpoints/warmstart-small",
      "--test-size",
      "8",
      "--ks",
      "1,2",
      "--temperatures",
      "0.5,1",
      "--name",
      "warm",
      "--json",
      `${dir}/v.json`,
    ]);
    assertEquals(out.code, 0, out.stderr);
    assertStringIncludes(out.stdout, "| vote@2 T=0.5 |");
    assertStringIncludes(out.stdout, "critique ceiling (sampled at T=1)");
    const saved = JSON.parse(await Deno.readTextFile(`${dir}/v.json`));
    assertEquals(saved.name, "warm");
    assertEquals(saved.n, 8);
    assertEquals(saved.rows.map((r: { method: string }) => r.method), [
      "greedy",
      "expected (greedy critique)",
      "median (greedy critique)",
      "vote@1 T=0.5",
      "vote@2 T=0.5",
      "vote@1 T=1",
      "vote@2 T=1",
    ]);
    const sidecar = JSON.parse(
      await Deno.readTextFile("checkpoints/warmstart-small/checkpoint.json"),
    );
    assertEquals(saved.provenance.checkpointSha256, sidecar.sha256);
  });
});

Deno.test("voting: bad flags and a non-pointwise judge are named errors", async () => {
  const cases: [string[], string][] = [
    [["checkpoints/warmstart-small", "--temperatures", "0,1"], "--temperatures: expected"],
    [["checkpoints/warmstart-small", "--ks", "0"], "--ks: expected"],
    [[], "give one checkpoint directory"],
    [["/nowhere"], "/nowhere"],
  ];
  for (const [args, message] of cases) {
    const out = await voting(args);
    assertEquals(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    assertStringIncludes(out.stderr, message);
  }
});
