import { assertEquals, assertRejects } from "@std/assert";
import { startBackend } from "./backend_choice.ts";
import { BackendError, type BackendName } from "./backend.ts";
import { loadBlas } from "./blas.ts";

Deno.test("auto starts blas where a BLAS library loads, else wasm; the device says which", async () => {
  const info = await startBackend("auto");
  const expected = loadBlas() === null ? "wasm" : "blas";
  assertEquals(info.name, expected);
  if (expected === "blas") assertEquals(/sgemm/.test(info.device), true);
});

Deno.test("auto does not hide a failure other than a missing BLAS", async () => {
  const init = (name: BackendName) =>
    name === "blas"
      ? Promise.reject(new BackendError("blas broke"))
      : Promise.resolve({ name, device: "CPU" });
  await assertRejects(() => startBackend("auto", { init }), BackendError, "blas broke");
});

Deno.test("a named backend is started as named", async () => {
  const tried: string[] = [];
  const init = (name: BackendName) => {
    tried.push(name);
    return Promise.resolve({ name, device: "CPU" });
  };
  assertEquals((await startBackend("cpu", { init })).name, "cpu");
  assertEquals(tried, ["cpu"]);
});
