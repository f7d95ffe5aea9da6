/**
 * The README's shipped-results block is exactly what `deno task results` generates from
 * `results/`: its numbers cannot drift from the files behind them.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCli } from "./_cli.ts";

Deno.test("README's results block matches results/ (deno task results --check)", async () => {
  const out = await runCli("cli/results.ts", ["--check"]);
  assertEquals(out.code, 0, out.stderr + out.stdout);
  assertStringIncludes(out.stdout, "matches results/");
});
