import { assert, assertEquals, assertRejects } from "@std/assert";
import { checkOutputPath, OutputError, writeOutputFile } from "./output_file.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "irpm-output-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const listing = (dir: string) => Array.from(Deno.readDirSync(dir)).map((e) => e.name).sort();

Deno.test("checkOutputPath and writeOutputFile: a missing folder is named before any write", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/missing/out.json`;
    const message = `--json ${path}: the folder ${dir}/missing does not exist`;
    const error = await assertRejects(() => checkOutputPath(path, "--json"), OutputError, message);
    assertEquals([error.flag, error.path], ["--json", path]);
    await assertRejects(
      () => writeOutputFile({ path, flag: "--json" }, "{}"),
      OutputError,
      `--json ${path}: cannot write: No such file or directory`,
    );
    // a file where the folder should be
    await Deno.writeTextFile(`${dir}/file`, "x");
    await assertRejects(
      () => checkOutputPath(`${dir}/file/out.json`, "--items"),
      OutputError,
      `--items ${dir}/file/out.json: ${dir}/file is not a folder`,
    );
    assertEquals(listing(dir), ["file"]);
  });
});

Deno.test("checkOutputPath and writeOutputFile: a directory is refused, and left alone", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/out.json`);
    for (const path of [`${dir}/out.json`, `${dir}/out.json/`, dir]) {
      await assertRejects(
        () => checkOutputPath(path, "--json"),
        OutputError,
        `--json ${path}: is a directory; give a file name`,
      );
      await assertRejects(
        () => writeOutputFile({ path, flag: "--json" }, "{}"),
        OutputError,
        `--json ${path}: is a directory`,
      );
    }
    assertEquals(listing(dir), ["out.json"]);
    assertEquals(listing(`${dir}/out.json`), []);
  });
});

const hasDevFull = await Deno.stat("/dev/full").then((s) => s.isCharDevice === true, () => false);

Deno.test({
  name: "writeOutputFile: /dev/full fails with ENOSPC as an OutputError naming the flag",
  ignore: !hasDevFull,
  async fn() {
    await checkOutputPath("/dev/full", "--json"); // opens for writing; fullness shows on write
    const error = await assertRejects(
      () => writeOutputFile({ path: "/dev/full", flag: "--json" }, '{"rows": []}\n'),
      OutputError,
    );
    assertEquals(
      error.message,
      "--json /dev/full: cannot write: No space left on device (os error 28)",
    );
    assert(error.cause instanceof Error);
  },
});

Deno.test("writeOutputFile: writes, replaces, keeps permissions and links, leaves no temp file", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/out.json`;
    await checkOutputPath(path, "--json");
    assertEquals(listing(dir), [], "the probe file was left behind");
    await writeOutputFile({ path, flag: "--json" }, "first\n");
    assertEquals(await Deno.readTextFile(path), "first\n");
    await Deno.chmod(path, 0o600);
    await checkOutputPath(path, "--json"); // an existing file is fine: it will be replaced
    await writeOutputFile({ path, flag: "--json" }, new TextEncoder().encode("second\n"));
    assertEquals(await Deno.readTextFile(path), "second\n");
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals(listing(dir), ["out.json"]);
    // a link is written through: the target changes, the link stays a link
    await Deno.symlink(path, `${dir}/link.json`);
    await writeOutputFile({ path: `${dir}/link.json`, flag: "--json" }, "third\n");
    assert((await Deno.lstat(`${dir}/link.json`)).isSymlink);
    assertEquals(await Deno.readTextFile(path), "third\n");
    assertEquals(listing(dir), ["link.json", "out.json"]);
    // a relative path (the current folder) works too
    const cwd = Deno.cwd();
    Deno.chdir(dir);
    try {
      await checkOutputPath("rel.jsonl", "--items");
      await writeOutputFile({ path: "rel.jsonl", flag: "--items" }, "{}\n");
    } finally {
      Deno.chdir(cwd);
    }
    assertEquals(listing(dir), ["link.json", "out.json", "rel.jsonl"]);
  });
});

Deno.test("writeOutputFile: a folder removed after the check fails cleanly, other files kept", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/out.json`;
    await writeOutputFile({ path, flag: "--json" }, "old\n");
    await Deno.mkdir(`${dir}/sub`);
    await checkOutputPath(`${dir}/sub/out.json`, "--json");
    await Deno.remove(`${dir}/sub`);
    await assertRejects(
      () => writeOutputFile({ path: `${dir}/sub/out.json`, flag: "--json" }, "x"),
      OutputError,
    );
    assertEquals(listing(dir), ["out.json"]);
    assertEquals(await Deno.readTextFile(path), "old\n");
  });
});

Deno.test({
  name: "writeOutputFile: /dev/stdout redirected to a file appends to it, never replaces it",
  ignore: Deno.build.os === "windows",
  async fn() {
    await withTempDir(async (dir) => {
      const module = new URL("./output_file.ts", import.meta.url).href;
      const script = `import { checkOutputPath, writeOutputFile } from "${module}";
console.log("markdown");
await checkOutputPath("/dev/stdout", "--json");
await writeOutputFile({ path: "/dev/stdout", flag: "--json" }, "json\\n");`;
      await Deno.writeTextFile(`${dir}/child.ts`, script);
      const out = await new Deno.Command("sh", {
        args: ["-c", `"${Deno.execPath()}" run -A "${dir}/child.ts" > "${dir}/stdout.txt"`],
      }).output();
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      assertEquals(await Deno.readTextFile(`${dir}/stdout.txt`), "markdown\njson\n");
      assertEquals(listing(dir), ["child.ts", "stdout.txt"]);
    });
  },
});
