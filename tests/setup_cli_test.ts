/**
 * `deno task setup` (cli/setup.ts), which `deno task test` runs first: a machine without Jupyter
 * (hidden from PATH, and no apt-get to install it) gets one line naming what is missing, how to get
 * it and how to skip it, and exit 1; a Deno kernelspec that starts another deno is re-pinned to the
 * running one; a second run only checks.
 *
 * Needs Jupyter on the machine for the re-pin case (the suite's own setup put it there).
 *
 * @module
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { withTempDir } from "./_cli.ts";

const setupTs = new URL("../cli/setup.ts", import.meta.url).pathname;
const deno = Deno.realPathSync(Deno.execPath());

async function setup(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", setupTs, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** A PATH holding only this deno: no jupyter, no apt-get, no sudo. */
async function barePath(dir: string): Promise<string> {
  await Deno.mkdir(`${dir}/bin`);
  await Deno.symlink(deno, `${dir}/bin/deno`);
  return `${dir}/bin`;
}

Deno.test("setup: Jupyter hidden from PATH -> one named line, the fix, the skip, exit 1", async () => {
  await withTempDir(async (dir) => {
    const PATH = await barePath(dir);
    for (const args of [["--check"], []]) {
      const { code, stderr } = await setup(args, { PATH, IRPM_SKIP_BROWSER: "1" });
      assertEquals(code, 1, stderr);
      assertStringIncludes(stderr, "Jupyter + Deno kernel: jupyter-nbconvert is not on PATH");
      assertStringIncludes(stderr, "install Debian's jupyter-nbconvert");
      assertStringIncludes(stderr, "or set IRPM_SKIP_NOTEBOOKS=1 to skip its tests");
      assertStringIncludes(stderr, "Chromium skipped");
      // without --check it tried to install, and says why it could not
      if (args.length === 0) assertStringIncludes(stderr, "(apt-get is not available)");
    }
    // skipping both required parts: nothing to install, exit 0
    const skipped = await setup(["--check"], {
      PATH,
      IRPM_SKIP_BROWSER: "1",
      IRPM_SKIP_NOTEBOOKS: "1",
    });
    assertEquals(skipped.code, 0, skipped.stderr);
    assertStringIncludes(skipped.stderr, "Jupyter + Deno kernel skipped, Chromium skipped");
  });
});

Deno.test("setup: a kernelspec that starts another deno is re-pinned to this one", async () => {
  await withTempDir(async (dir) => {
    const kernel = `${dir}/kernels/deno/kernel.json`;
    await Deno.mkdir(`${dir}/kernels/deno`, { recursive: true });
    const other = [
      "/usr/local/bin/other-deno",
      "jupyter",
      "--kernel",
      "--conn",
      "{connection_file}",
    ];
    await Deno.writeTextFile(kernel, JSON.stringify({ argv: other }));
    const env = { JUPYTER_DATA_DIR: dir, IRPM_SKIP_BROWSER: "1" };

    const check = await setup(["--check"], env);
    assertEquals(check.code, 1, check.stderr);
    assertStringIncludes(check.stderr, "starts another deno (/usr/local/bin/other-deno)");
    assertEquals(JSON.parse(await Deno.readTextFile(kernel)).argv, other, "--check wrote nothing");

    const fixed = await setup([], env);
    assertEquals(fixed.code, 0, fixed.stderr);
    assertStringIncludes(fixed.stderr, "Jupyter + Deno kernel installed");
    const spec = JSON.parse(await Deno.readTextFile(kernel));
    assertEquals(spec.argv, [deno, "jupyter", "--kernel", "--conn", "{connection_file}"]);

    const again = await setup([], env);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stderr, "Jupyter + Deno kernel present");
    assert(!again.stderr.includes("setting it up"), again.stderr);
  });
});
