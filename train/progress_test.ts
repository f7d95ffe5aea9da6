import { assertEquals } from "@std/assert";
import { formatDuration, progressLine } from "./progress.ts";

Deno.test("formatDuration: rounds to whole seconds before choosing the unit", () => {
  assertEquals(formatDuration(0), "0s");
  assertEquals(formatDuration(59.4), "59s");
  assertEquals(formatDuration(59.6), "1m00s"); // rounds to 60 s, not "60s"
  assertEquals(formatDuration(3599.6), "1h00m");
  assertEquals(formatDuration(86400 + 61), "24h01m");
  assertEquals([formatDuration(NaN), formatDuration(Infinity)], ["?", "?"]);
});

Deno.test("progressLine: a resumed run's rate counts only the steps done by this process", () => {
  // 20 steps in 10 s since the resume at step 40: 2 step/s, 40 left: ETA 20 s
  const line = progressLine({ done: 60, total: 100, elapsedSeconds: 10, startedAt: 40, width: 10 });
  assertEquals(line, "[######----] 60/100 2.00 step/s ETA 20s");
});

Deno.test("progressLine: no time yet, nothing to do, or past the end", () => {
  assertEquals(
    progressLine({ done: 0, total: 10, elapsedSeconds: 0, width: 4 }),
    "[----] 0/10 ? step/s ETA ?",
  );
  assertEquals(
    progressLine({ done: 0, total: 0, elapsedSeconds: 1, width: 4 }),
    "[----] 0/0 0.00 step/s ETA ?",
  );
  assertEquals(
    progressLine({ done: 12, total: 10, elapsedSeconds: 6, width: 4, fields: { "held-out": "-" } }),
    "[####] 12/10 2.00 step/s ETA 0s | held-out -", // never a negative ETA,
  );
});
