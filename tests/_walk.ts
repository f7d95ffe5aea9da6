/**
 * Lists a folder's files recursively, as paths relative to it, skipping the named folders.
 *
 * @module
 */

/** Yields every file under `root` (relative paths, `/`-separated), skipping folders in `skip`. */
export async function* walk(root: string, skip: ReadonlySet<string>, prefix = ""): AsyncGenerator<
  string
> {
  for await (const entry of Deno.readDir(`${root}/${prefix}`)) {
    if (entry.isDirectory) {
      if (!skip.has(entry.name)) yield* walk(root, skip, `${prefix}${entry.name}/`);
    } else if (entry.isFile) yield `${prefix}${entry.name}`;
  }
}
