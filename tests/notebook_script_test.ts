/**
 * `deno task notebook:script` runs a notebook's code cells as a plain script: a small notebook
 * with a relative import, a figure, a table and a markdown last expression, the shipped notebook
 * 01, a failing cell, and bad usage.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";

const CLI = new URL("../cli/notebook_script.ts", import.meta.url).pathname;

async function runScript(args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

const code = (source: string) => ({ cell_type: "code", metadata: {}, outputs: [], source });

Deno.test("a notebook's cells run in order outside Jupyter; figures land as files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "irpm_nbscript_" });
  // a relative import from the notebook's folder, as the kit's notebooks import ./lib/mod.ts
  const nbDir = await Deno.makeTempDir({ prefix: "irpm_nb_" });
  await Deno.mkdir(`${nbDir}/lib`);
  await Deno.writeTextFile(`${nbDir}/lib/numbers.ts`, "export const two = 2;\n");
  const viz = new URL("../viz/mod.ts", import.meta.url).href;
  const path = `${nbDir}/small.ipynb`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      cells: [
        { cell_type: "markdown", metadata: {}, source: "# a title" },
        code(
          `import { barChart, createPlotSession, showFigure } from "${viz}";\n` +
            'import { two } from "./lib/numbers.ts";\n' +
            "const session = createPlotSession({ idPrefix: 't' });\nconst total = two + two;",
        ),
        code(
          'await showFigure(barChart([{ name: "s", categories: ["a", "b"], values: [1, 2] }]), ' +
            "{ session, display: Deno.jupyter.display });",
        ),
        code("Deno.jupyter.md`**total ${total}**`"),
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  try {
    const { code: status, out } = await runScript([path, "--out", dir]);
    assertEquals(status, 0);
    const lines = out.split("\n");
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    assert(at("--- cell 1") < at("--- cell 2") && at("--- cell 2") < at("[figure:"));
    assert(at("[figure:") < at("--- cell 3") && at("--- cell 3") < at("**total 4**"));
    assertStringIncludes(out, "--- cell wall times: 1: ");
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert(files.includes("cell-2-1.svg") && files.includes("cell-2-1.plotly.json"), files.join());
    assertStringIncludes(await Deno.readTextFile(`${dir}/cell-2-1.svg`), "<svg");
  } finally {
    await Deno.remove(nbDir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("notebook 01 runs as a script: every cell, its figures written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "irpm_nbscript_" });
  try {
    const { code: status, out } = await runScript([
      "notebooks/01_bradley_terry.ipynb",
      "--out",
      dir,
    ]);
    assertEquals(status, 0, out);
    const notebook = JSON.parse(await Deno.readTextFile("notebooks/01_bradley_terry.ipynb"));
    const codeCells = notebook.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    assertStringIncludes(out, `--- cell ${codeCells.length}\n`);
    const svgs = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".svg"));
    const figureCells = codeCells.filter((c: { metadata: { tags?: string[] } }) =>
      c.metadata.tags?.includes("figure")
    );
    assert(
      svgs.length >= figureCells.length,
      `${svgs.length} SVGs for ${figureCells.length} figure cells`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing cell fails the script; bad usage exits 2 naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "irpm_nbscript_" });
  try {
    const path = `${dir}/bad.ipynb`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ cells: [code("throw new Error('cell broke');")] }),
    );
    const failed = await runScript([path, "--out", dir]);
    assertEquals(failed.code !== 0, true);
    assertStringIncludes(failed.err, "cell broke");
    const missing = await runScript([`${dir}/none.ipynb`]);
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.err, "none.ipynb: no such file");
    await Deno.writeTextFile(`${dir}/x.ipynb`, "{}");
    const notNotebook = await runScript([`${dir}/x.ipynb`]);
    assertEquals(notNotebook.code, 2);
    assertStringIncludes(notNotebook.err, 'x.ipynb: not a notebook (no "cells" list)');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every notebook's code cells type-check against the kit (as exported scripts)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "irpm_nbcheck_" });
  try {
    const names = [...Deno.readDirSync("notebooks")].map((e) => e.name)
      .filter((n) => n.endsWith(".ipynb")).sort();
    assert(names.length >= 6, names.join());
    for (const name of names) {
      const { code: status, err } = await runScript([
        `notebooks/${name}`,
        "--out",
        dir,
        "--no-run",
      ]);
      assertEquals(status, 0, err);
    }
    const { code: status, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["check", ...names.map((n) => `${dir}/${n.replace(/\.ipynb$/, ".ts")}`)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    // a notebook cell calling a kit function with an old signature fails here, without Jupyter
    assertEquals(status, 0, new TextDecoder().decode(stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
