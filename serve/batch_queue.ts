/**
 * Dynamic batching: requests queue up, and one worker runs them together, one batch at a time.
 *
 * A batch starts when the queued work reaches `maxBatch` items, or when the oldest queued job has
 * waited `waitMs`, whichever comes first (and never while the previous batch is still running;
 * jobs that arrive meanwhile form the next batch). A batch takes whole jobs from the head of the
 * queue, first come first served, while their items fit in `maxBatch`; a job with more items than
 * `maxBatch` runs alone (the runner splits it). Jobs are never split between batches, so a job's
 * result cannot depend on which other jobs happened to share its batch.
 *
 * @module
 */

/** Options of {@link createBatchQueue}. */
export interface BatchQueueOptions {
  /** Most items per batch (a larger single job still runs, alone). */
  readonly maxBatch: number;
  /** Longest wait, in ms, of the oldest queued job for others to join it. */
  readonly waitMs: number;
}

/** A queue that batches submitted jobs. */
export interface BatchQueue<J, R> {
  /** Queues a job of `size` items; resolves with its result (rejects with its batch's error). */
  submit(job: J, size: number): Promise<R>;
  /** Items queued and not yet started. */
  readonly queued: number;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
}

interface Waiting<J, R> {
  job: J;
  size: number;
  arrived: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Creates a queue whose batches are run by `run(jobs)`, which returns one result per job in order.
 *
 * @example
 * ```ts
 * import { createBatchQueue } from "./batch_queue.ts";
 * import { assertEquals } from "@std/assert";
 * const batches: string[][] = [];
 * const queue = createBatchQueue(async (jobs: string[]) => {
 *   batches.push(jobs);
 *   return jobs.map((job) => job.toUpperCase());
 * }, { maxBatch: 4, waitMs: 20 });
 * const results = await Promise.all(["a", "b", "c"].map((job) => queue.submit(job, 1)));
 * assertEquals(results, ["A", "B", "C"]);
 * assertEquals(batches, [["a", "b", "c"]]); // one batch: all three arrived within the wait
 * ```
 */
export function createBatchQueue<J, R>(
  run: (jobs: J[]) => Promise<R[]>,
  options: BatchQueueOptions,
): BatchQueue<J, R> {
  const { maxBatch, waitMs } = options;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be an integer >= 1, got ${maxBatch}`);
  }
  if (!(waitMs >= 0)) throw new RangeError(`waitMs must be a number >= 0, got ${waitMs}`);
  const queue: Waiting<J, R>[] = [];
  let queued = 0;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerWait = 0;
  let idleWaiters: (() => void)[] = [];

  const take = (): Waiting<J, R>[] => {
    const batch = [queue.shift()!];
    let size = batch[0].size;
    while (queue.length > 0 && size + queue[0].size <= maxBatch) {
      size += queue[0].size;
      batch.push(queue.shift()!);
    }
    queued -= size;
    return batch;
  };

  const dispatch = async () => {
    running = true;
    const batch = take();
    try {
      const results = await run(batch.map((w) => w.job));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      running = false;
      schedule();
    }
  };

  // Batches start from a timer, never inline: between two generation calls the event loop gets
  // a turn, so new requests are read and queued and /health and /metrics are answered (a
  // generation call awaits only already-resolved promises on the CPU backends).
  function schedule(): void {
    if (running) return;
    if (queue.length === 0) {
      for (const wake of idleWaiters) wake();
      idleWaiters = [];
      return;
    }
    const wait = queued >= maxBatch
      ? 0
      : Math.max(0, queue[0].arrived + waitMs - performance.now());
    if (timer !== undefined) {
      if (wait > 0 || timerWait === 0) return;
      clearTimeout(timer); // the batch filled up before the window closed: start now
    }
    timerWait = wait;
    timer = setTimeout(() => {
      timer = undefined;
      if (!running && queue.length > 0) dispatch();
    }, wait);
  }

  return {
    submit(job, size) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ job, size, arrived: performance.now(), resolve, reject });
        queued += size;
        schedule();
      });
    },
    get queued() {
      return queued;
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
