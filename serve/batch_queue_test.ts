import { assertEquals, assertRejects } from "@std/assert";
import { createBatchQueue } from "./batch_queue.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A queue whose runner records each batch and takes `ms` per batch. */
function recording(options: { maxBatch: number; waitMs: number }, ms = 0) {
  const batches: string[][] = [];
  const queue = createBatchQueue(async (jobs: string[]) => {
    batches.push([...jobs]);
    await sleep(ms);
    return jobs.map((job) => `${job}!`);
  }, options);
  return { batches, queue };
}

Deno.test("batch queue: a full batch starts at once; whole jobs only, first come first served", async () => {
  const { batches, queue } = recording({ maxBatch: 4, waitMs: 10_000 });
  const done = Promise.all([
    queue.submit("a", 2),
    queue.submit("b", 1),
    queue.submit("c", 2), // does not fit next to a + b (5 > 4): waits for the next batch
    queue.submit("d", 2),
  ]);
  assertEquals(await done, ["a!", "b!", "c!", "d!"]); // no 10 s wait: each batch filled up
  assertEquals(batches, [["a", "b"], ["c", "d"]]);
});

Deno.test("batch queue: the wait window closes a partial batch; late jobs form the next one", async () => {
  const { batches, queue } = recording({ maxBatch: 8, waitMs: 15 }, 30);
  const first = [queue.submit("a", 1), queue.submit("b", 1)];
  await sleep(25); // window over: [a, b] is running for 30 ms
  const second = [queue.submit("c", 1), queue.submit("d", 3)];
  assertEquals(await Promise.all([...first, ...second]), ["a!", "b!", "c!", "d!"]);
  assertEquals(batches, [["a", "b"], ["c", "d"]]);
  assertEquals(queue.queued, 0);
});

Deno.test("batch queue: a job larger than maxBatch runs alone", async () => {
  const { batches, queue } = recording({ maxBatch: 4, waitMs: 5 });
  await Promise.all([queue.submit("small", 1), queue.submit("huge", 9), queue.submit("tail", 1)]);
  assertEquals(batches, [["small"], ["huge"], ["tail"]]);
});

Deno.test("batch queue: a failing batch rejects its jobs only; idle() waits for the work", async () => {
  let calls = 0;
  const queue = createBatchQueue(async (jobs: number[]) => {
    await sleep(5);
    if (calls++ === 0) throw new Error("generation failed");
    return jobs;
  }, { maxBatch: 2, waitMs: 0 });
  const a = queue.submit(1, 2);
  const b = queue.submit(2, 2);
  await assertRejects(() => a, Error, "generation failed");
  assertEquals(await b, 2);
  queue.submit(3, 1);
  await queue.idle();
  assertEquals(queue.queued, 0);
});

Deno.test("batch queue: bad options are RangeErrors quoting the value", () => {
  const run = (jobs: number[]) => Promise.resolve(jobs);
  for (
    const [options, message] of [
      [{ maxBatch: 0, waitMs: 1 }, "maxBatch must be an integer >= 1, got 0"],
      [{ maxBatch: 1, waitMs: -1 }, "waitMs must be a number >= 0, got -1"],
    ] as const
  ) {
    try {
      createBatchQueue(run, options);
      throw new Error("no error");
    } catch (error) {
      assertEquals((error as Error).message, message);
    }
  }
});
