import { assertEquals } from "@std/assert";
import { createMetrics } from "./metrics.ts";

Deno.test("metrics: histogram buckets are cumulative, bounds inclusive, +Inf counts all", () => {
  const metrics = createMetrics();
  const h = metrics.histogram("t_seconds", "Latency.", [0.1, 1]);
  for (const v of [0.05, 0.1, 0.5, 2]) h.observe(v, { path: "/x" });
  assertEquals(
    metrics.render(),
    "# HELP t_seconds Latency.\n# TYPE t_seconds histogram\n" +
      't_seconds_bucket{le="0.1",path="/x"} 2\n' +
      't_seconds_bucket{le="1",path="/x"} 3\n' +
      't_seconds_bucket{le="+Inf",path="/x"} 4\n' +
      't_seconds_sum{path="/x"} 2.65\n' +
      't_seconds_count{path="/x"} 4\n',
  );
});

Deno.test("metrics: counters keep one series per label set; label values are escaped", () => {
  const metrics = createMetrics();
  const c = metrics.counter("t_total", "Things.");
  c.inc({ kind: 'a"b\\c\nd' });
  c.inc({ kind: "x" }, 3);
  c.inc({ kind: "x" });
  let gauge = 1;
  metrics.gauge("t_now", "Now.", () => gauge);
  gauge = 7;
  assertEquals(
    metrics.render(),
    "# HELP t_total Things.\n# TYPE t_total counter\n" +
      't_total{kind="a\\"b\\\\c\\nd"} 1\n' +
      't_total{kind="x"} 4\n' +
      "# HELP t_now Now.\n# TYPE t_now gauge\nt_now 7\n",
  );
});
