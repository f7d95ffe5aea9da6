/**
 * The kit's import graph, read from the source: library folders never import the entry points
 * (cli/), and no module imports itself through others (no cycle). Relative imports of every `.ts`
 * file are followed; npm and `@std` imports are leaves.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { walk } from "./_walk.ts";

const root = new URL("..", import.meta.url).pathname;
const SKIP = new Set(["node_modules", "runs", "results", ".git", ".scratch", ".deno", ".gl"]);
const IMPORT = /(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\s+["'](\.[^"']+)["']/g;

/** Every `.ts` file's relative imports, as paths from the repository root. */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for await (const file of walk(root, SKIP)) {
    if (!file.endsWith(".ts")) continue;
    const text = await Deno.readTextFile(`${root}${file}`);
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
    const deps = [...text.matchAll(IMPORT)].map((m) => normalize(`${dir}/${m[1] ?? m[2]}`));
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

/**
 * Resolves `.` and `..` segments of a relative path; a leading `/` from an empty dir is dropped.
 */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/** The strongly connected components with more than one module (Tarjan): each is a cycle. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>(), found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

Deno.test("the cycle finder finds a two-module and a three-module circle, and no false one", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["a.ts", "c.ts"]],
    ["c.ts", ["d.ts"]],
    ["d.ts", ["e.ts"]],
    ["e.ts", ["c.ts"]],
    ["f.ts", ["a.ts", "npm-leaf"]],
  ]);
  assertEquals(cycles(graph), [["c.ts", "d.ts", "e.ts"], ["a.ts", "b.ts"]]);
  assertEquals(cycles(new Map([["a.ts", ["b.ts"]], ["b.ts", []]])), []);
});

Deno.test("no library module imports cli/ (entry points sit on top)", async () => {
  const graph = await importGraph();
  const arrows = [...graph].flatMap(([file, deps]) =>
    file.startsWith("cli/") || file.startsWith("tests/")
      ? []
      : deps.filter((d) => d.startsWith("cli/")).map((d) => `${file} -> ${d}`)
  );
  assertEquals(arrows, []);
});

Deno.test("the import graph has no cycle", async () => {
  assertEquals(cycles(await importGraph()), []);
});
