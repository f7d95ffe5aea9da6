/**
 * End-to-end tests of `--backend tensorflow` when tfjs-node is not installed (the kit's machines):
 * a named error with the install command and the alternatives, and the project left as it was
 * (importing an absent `npm:` package would make Deno download it and rewrite `deno.lock`).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runCli } from "./_cli.ts";

const root = new URL("..", import.meta.url);
const lockUrl = new URL("deno.lock", root);

async function listing(url: URL): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(url)) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

/**
 * What a stray install of tfjs-node would change: the lockfile, `node_modules/@tensorflow/` and
 * the `@tensorflow+*` package folders (other packages are left out: they are not ours to judge).
 */
async function projectState() {
  return {
    lock: await Deno.readFile(lockUrl),
    tensorflow: await listing(new URL("node_modules/@tensorflow/", root)),
    installed: (await listing(new URL("node_modules/.deno/", root)))
      .filter((name) => name.startsWith("@tensorflow+")),
  };
}

/** Puts back what a failing (old) build changed, so one red test does not dirty the checkout. */
async function restore(before: Awaited<ReturnType<typeof projectState>>): Promise<void> {
  const after = await projectState();
  const lock = new TextDecoder().decode(after.lock);
  if (lock.includes("tfjs-node") && after.lock.join() !== before.lock.join()) {
    await Deno.writeFile(lockUrl, before.lock);
  }
  const stray = (name: string) => /tfjs-node/.test(name);
  for (const name of after.installed.filter((n) => !before.installed.includes(n) && stray(n))) {
    await Deno.remove(new URL(`node_modules/.deno/${name}`, root), { recursive: true });
  }
  for (const name of after.tensorflow.filter((n) => !before.tensorflow.includes(n) && stray(n))) {
    await Deno.remove(new URL(`node_modules/@tensorflow/${name}`, root), { recursive: true });
  }
}

const tfjsNodeInstalled = (await listing(new URL("node_modules/.deno/", root)))
  .some((name) => name.startsWith("@tensorflow+tfjs-node"));

Deno.test({
  name: "initBackend('tensorflow'): BackendUnavailableError, deno.lock and node_modules untouched",
  ignore: tfjsNodeInstalled,
  async fn() {
    const before = await projectState();
    try {
      const script = `import { initBackend } from "./model/backend.ts";
try { await initBackend("tensorflow"); console.log("started"); }
catch (error) { console.log(error.name); console.log(error.message); }`;
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        cwd: root.pathname,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      const [name, message] = stdout.split("\n");
      assertEquals(name, "BackendUnavailableError");
      assertStringIncludes(message, 'backend "tensorflow" is not installed');
      assertStringIncludes(message, "deno add npm:@tensorflow/tfjs-node@4.22.0");
      assertStringIncludes(message, "--backend wasm");
      assertStringIncludes(message, "--backend webgpu");
      const after = await projectState();
      assertEquals(after.lock, before.lock, "deno.lock was rewritten");
      assertEquals(after.tensorflow, before.tensorflow);
      assertEquals(after.installed, before.installed);
    } finally {
      await restore(before);
    }
  },
});

Deno.test({
  name: "train --backend tensorflow: exit 2 with the install command, no run dir, no download",
  ignore: tfjsNodeInstalled,
  async fn() {
    const before = await projectState();
    const dir = await Deno.makeTempDir();
    try {
      const run = await runCli("cli/train.ts", [
        "--backend",
        "tensorflow",
        "--preset",
        "tiny",
        "--warm-start",
        "off",
        "--steps",
        "1",
        "--run-dir",
        dir,
        "--name",
        "r",
      ]);
      assertEquals(run.code, 2, run.stderr);
      assertStringIncludes(run.stderr, 'train: backend "tensorflow" is not installed');
      assertStringIncludes(run.stderr, "deno add npm:@tensorflow/tfjs-node@4.22.0");
      assertStringIncludes(run.stderr, "--backend wasm");
      assert(!/^\s+at /m.test(run.stderr), `a stack trace:\n${run.stderr}`);
      assertEquals(await listing(new URL(`file://${dir}/`)), [], "a run directory was created");
      const after = await projectState();
      assertEquals(after.lock, before.lock, "deno.lock was rewritten");
      assertEquals(after.tensorflow, before.tensorflow);
      assertEquals(after.installed, before.installed);
    } finally {
      await restore(before);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
