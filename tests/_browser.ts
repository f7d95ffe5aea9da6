/**
 * Headless Chromium for the tests that look at pages in a real browser (the run report, exported
 * notebooks). `deno task setup` installs it; IRPM_CHROMIUM picks another binary and
 * IRPM_SKIP_BROWSER=1 skips those tests visibly.
 *
 * @module
 */
import { assertEquals } from "@std/assert";

/** True when the browser tests are skipped (IRPM_SKIP_BROWSER=1). */
export const SKIP_BROWSER = Deno.env.get("IRPM_SKIP_BROWSER") === "1";

const chromium = Deno.env.get("IRPM_CHROMIUM") ?? "/usr/bin/chromium";

/** Runs headless Chromium with `args` (15 s of virtual time for scripts); returns its stdout. */
export async function browser(args: string[]): Promise<string> {
  let out;
  try {
    out = await new Deno.Command(chromium, {
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=15000",
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    throw new Error(
      `cannot start ${chromium} (${(error as Error).message}): run \`deno task setup\`, ` +
        "set IRPM_CHROMIUM, or set IRPM_SKIP_BROWSER=1 to skip this test",
    );
  }
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

/** The charts plotly has drawn in a dumped DOM (plotly marks each drawn div `js-plotly-plot`). */
export function drawnCharts(dom: string): number {
  return (dom.match(/class="[^"]*\bjs-plotly-plot\b[^"]*"/g) ?? []).length;
}
