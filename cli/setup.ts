/**
 * `deno task setup`: find, or install, what the test suite and the optional backends need beyond
 * Deno itself. `deno task test` runs it first, so on a fresh machine the README's test command is
 * the only one to type.
 *
 * | need | used by | found when | installed with |
 * |---|---|---|---|
 * | Jupyter + the Deno kernel | tests/notebooks_test.ts, `deno task notebooks:run` | `jupyter-nbconvert` on PATH and a `deno` kernelspec that starts *this* deno | Debian's packages, then `deno jupyter --install`, pinned to this deno's real path |
 * | Chromium | tests/report_browser_test.ts | `$IRPM_CHROMIUM`, or `/usr/bin/chromium` | Debian's `chromium` |
 * | OpenBLAS (optional) | `--backend blas`, model/blas_test.ts | `libopenblas.so.0` opens | Debian's `libopenblas0-pthread` |
 *
 * Idempotent: when everything is present it only checks (well under a second) and prints one
 * line. It installs with apt-get (with sudo when not root). Where a required part cannot be
 * installed it prints what is missing and how to get it (or skip it) and exits 1; OpenBLAS is
 * optional and only reported. `IRPM_SKIP_NOTEBOOKS=1` / `IRPM_SKIP_BROWSER=1` skip a part as the
 * tests do; `--check` installs nothing and exits 1 if a required part is missing.
 *
 * @module
 */
import { parseFlags, UsageError } from "../config/flags.ts";
import { runCli } from "./run_cli.ts";
import { BLAS_LIBRARIES } from "../model/blas.ts";

/** One thing the suite needs: how to tell it is there, and the Debian packages that provide it. */
export type SetupPart = {
  name: string;
  /** Optional parts are reported, never fatal. */
  optional: boolean;
  /** The env variable that skips this part (the tests honour the same one), if any. */
  skipEnv: string | null;
  /** Debian packages that provide it. */
  apt: readonly string[];
  /** null when present; else why it is missing, and whether its packages are what is missing. */
  find(): Promise<Missing | null>;
  /** After the packages are in: the steps that finish the part (e.g. registering the kernel). */
  finish?(): Promise<void>;
};

/** Why a part is missing: in a few words; `packages` false when only the last step is missing. */
export type Missing = { why: string; packages: boolean };

/** The outcome of one part, for the summary line. */
export type PartOutcome = "present" | "installed" | "skipped" | "missing";

const decoder = new TextDecoder();

/** Runs a command; NotFound (no such program) is an exit code of 127, as a shell reports it. */
async function run(
  cmd: string,
  args: string[],
  options: { env?: Record<string, string>; inherit?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      env: options.env,
      stdout: options.inherit ? "inherit" : "piped",
      stderr: options.inherit ? "inherit" : "piped",
    }).output();
    return {
      code: out.code,
      stdout: options.inherit ? "" : decoder.decode(out.stdout),
      stderr: options.inherit ? "" : decoder.decode(out.stderr),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { code: 127, stdout: "", stderr: "" };
    throw error;
  }
}

/** This deno's real path (an npm install's `node_modules/.bin/deno` resolved to the binary). */
export function denoBinary(): string {
  return Deno.realPathSync(Deno.execPath());
}

/**
 * Whether a kernelspec (`kernel.json` contents) starts the given deno binary as a Jupyter kernel.
 *
 * @example
 * ```ts
 * import { kernelStartsDeno } from "./setup.ts";
 * import { assertEquals } from "@std/assert";
 * const spec = { argv: ["/opt/deno", "jupyter", "--kernel", "--conn", "{connection_file}"] };
 * assertEquals(kernelStartsDeno(spec, "/opt/deno"), true);
 * assertEquals(kernelStartsDeno(spec, "/usr/bin/deno"), false); // another deno: re-pin it
 * assertEquals(kernelStartsDeno({ argv: [] }, "/opt/deno"), false);
 * ```
 */
export function kernelStartsDeno(spec: unknown, deno: string): boolean {
  const argv = (spec as { argv?: unknown })?.argv;
  return Array.isArray(argv) && argv[0] === deno && argv[1] === "jupyter" &&
    argv.includes("--kernel");
}

/**
 * The kernelspec that starts `deno` as a Jupyter kernel (what `deno jupyter --install` writes).
 *
 * @example
 * ```ts
 * import { denoKernelSpec, kernelStartsDeno } from "./setup.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(kernelStartsDeno(denoKernelSpec("/opt/deno"), "/opt/deno"), true);
 * assertEquals(denoKernelSpec("/opt/deno").language, "typescript");
 * ```
 */
export function denoKernelSpec(deno: string) {
  return {
    argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
  };
}

/** The path of the user's `deno` kernelspec (under `jupyter --data-dir`), or null without jupyter. */
async function kernelJsonPath(): Promise<string | null> {
  const out = await run("jupyter", ["--data-dir"]);
  return out.code === 0 ? `${out.stdout.trim()}/kernels/deno/kernel.json` : null;
}

/** Jupyter with nbconvert, and a Deno kernel that starts the deno running this task. */
export const JUPYTER: SetupPart = {
  name: "Jupyter + Deno kernel",
  optional: false,
  skipEnv: "IRPM_SKIP_NOTEBOOKS",
  apt: [
    "jupyter-nbconvert",
    "python3-nbclient",
    "jupyter-client",
    "python3-ipykernel",
    "jupyter-notebook",
  ],
  async find() {
    if ((await run("jupyter-nbconvert", ["--version"])).code !== 0) {
      return { why: "jupyter-nbconvert is not on PATH", packages: true };
    }
    const path = await kernelJsonPath();
    if (path === null) return { why: "`jupyter --data-dir` failed", packages: true };
    let spec;
    try {
      spec = JSON.parse(await Deno.readTextFile(path));
    } catch {
      return { why: `no Deno kernelspec at ${path}`, packages: false };
    }
    return kernelStartsDeno(spec, denoBinary()) ? null : {
      why: `the Deno kernelspec at ${path} starts another deno (${spec.argv?.[0]})`,
      packages: false,
    };
  },
  async finish() {
    // Written here rather than by `deno jupyter --install`, which pins whichever deno comes first
    // on PATH (maybe an npx shim) and ignores JUPYTER_DATA_DIR; `jupyter kernelspec install`
    // puts it where this Jupyter looks.
    const dir = await Deno.makeTempDir({ prefix: "irpm-kernelspec-" });
    try {
      await Deno.writeTextFile(
        `${dir}/kernel.json`,
        JSON.stringify(denoKernelSpec(denoBinary()), null, 2) + "\n",
      );
      const out = await run("jupyter", [
        "kernelspec",
        "install",
        "--user",
        "--replace",
        "--name",
        "deno",
        dir,
      ]);
      if (out.code !== 0) {
        throw new Error(`jupyter kernelspec install failed: ${out.stderr.trim()}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
};

/** Headless Chromium for the report test. */
export const CHROMIUM: SetupPart = {
  name: "Chromium",
  optional: false,
  skipEnv: "IRPM_SKIP_BROWSER",
  apt: ["chromium"],
  async find() {
    const path = Deno.env.get("IRPM_CHROMIUM") ?? "/usr/bin/chromium";
    const out = await run(path, ["--version"]);
    return out.code === 0 ? null : { why: `${path} does not run`, packages: true };
  },
};

/** OpenBLAS for `--backend blas` (optional: the wasm backend needs nothing). */
export const OPENBLAS: SetupPart = {
  name: "OpenBLAS",
  optional: true,
  skipEnv: null,
  apt: ["libopenblas0-pthread"],
  find() {
    for (const library of BLAS_LIBRARIES) {
      try {
        Deno.dlopen(library, {}).close();
        return Promise.resolve(null);
      } catch {
        // try the next name
      }
    }
    return Promise.resolve({ why: "libopenblas.so.0 does not load", packages: true });
  },
};

/** Every part, in the order they are checked. */
export const SETUP_PARTS: readonly SetupPart[] = [JUPYTER, CHROMIUM, OPENBLAS];

/** apt-get install, with sudo when not root; returns null on success or the reason it failed. */
async function aptInstall(packages: readonly string[]): Promise<string | null> {
  if ((await run("apt-get", ["--version"])).code === 127) return "apt-get is not available";
  const root = Deno.uid() === 0;
  if (!root && (await run("sudo", ["-n", "true"])).code !== 0) {
    return "not root and sudo needs a password";
  }
  const [cmd, prefix] = root ? ["apt-get", []] : ["sudo", ["apt-get"]];
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if ((await run(cmd, [...prefix, "update", "-qq"], { env, inherit: true })).code !== 0) {
    return "apt-get update failed";
  }
  const install = await run(
    cmd,
    [...prefix, "install", "-y", "-qq", "--no-install-recommends", ...packages],
    { env, inherit: true },
  );
  return install.code === 0 ? null : `apt-get install ${packages.join(" ")} failed`;
}

/**
 * The one-line hint for a missing part: what installs it, and how to skip its tests.
 *
 * @example
 * ```ts
 * import { CHROMIUM, missingHint } from "./setup.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   missingHint(CHROMIUM, { why: "/usr/bin/chromium does not run", packages: true }),
 *   "Chromium: /usr/bin/chromium does not run; install Debian's chromium (`deno task setup` " +
 *     "does it with apt-get), or set IRPM_SKIP_BROWSER=1 to skip its tests",
 * );
 * ```
 */
export function missingHint(part: SetupPart, missing: Missing): string {
  const skip = part.skipEnv === null ? "" : `, or set ${part.skipEnv}=1 to skip its tests`;
  const fix = missing.packages
    ? `install Debian's ${part.apt.join(" ")} (\`deno task setup\` does it with apt-get)`
    : "`deno task setup` sets it up";
  return `${part.name}: ${missing.why}; ${fix}${skip}`;
}

/** Finds, and unless `check`, installs every part; returns each outcome and the problems. */
export async function setup(
  parts: readonly SetupPart[],
  options: { check: boolean; log: (line: string) => void },
): Promise<{ outcomes: Map<string, PartOutcome>; problems: string[] }> {
  const outcomes = new Map<string, PartOutcome>();
  const problems: string[] = [];
  for (const part of parts) {
    if (part.skipEnv !== null && Deno.env.get(part.skipEnv) === "1") {
      outcomes.set(part.name, "skipped");
      continue;
    }
    let missing = await part.find();
    if (missing !== null && !options.check) {
      const step = missing.packages ? `installing ${part.apt.join(" ")}` : "setting it up";
      options.log(`setup: ${part.name}: ${missing.why}; ${step} ...`);
      const failed = missing.packages ? await aptInstall(part.apt) : null;
      if (failed === null) {
        try {
          await part.finish?.();
          missing = await part.find();
        } catch (error) {
          missing = { why: (error as Error).message, packages: false };
        }
        if (missing === null) {
          outcomes.set(part.name, "installed");
          continue;
        }
      } else {
        missing = { ...missing, why: `${missing.why} (${failed})` };
      }
    }
    if (missing === null) {
      outcomes.set(part.name, "present");
      continue;
    }
    outcomes.set(part.name, "missing");
    if (!part.optional) problems.push(missingHint(part, missing));
    else options.log(`setup: ${missingHint(part, missing)} (optional: --backend blas needs it)`);
  }
  return { outcomes, problems };
}

const USAGE = `Usage: deno task setup [--check]

Finds or installs (apt-get) what the tests need beyond Deno: Jupyter with the Deno kernel pinned to
this deno, Chromium, and (optional) OpenBLAS. \`deno task test\` runs it first.

  --check   install nothing; exit 1 if a required part is missing
`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { check: { kind: "boolean", help: "install nothing" } });
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positional.length > 0) {
    throw new UsageError(`unexpected argument ${parsed.positional[0]}`);
  }
  const { outcomes, problems } = await setup(SETUP_PARTS, {
    check: parsed.values.check === true,
    log: (line) => console.error(line),
  });
  const summary = [...outcomes].map(([name, outcome]) => `${name} ${outcome}`).join(", ");
  if (problems.length > 0) {
    for (const problem of problems) console.error(`setup: ${problem}`);
    console.error(`setup: ${summary}`);
    return 1;
  }
  console.error(`setup: ${summary}`);
  return 0;
}

if (import.meta.main) await runCli("setup", main);
