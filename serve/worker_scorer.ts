/**
 * The server's side of the GRM worker (`grm_worker.ts`): start it, wait until the checkpoint is
 * loaded, and score jobs through it with the same {@link GrmScorer} signature as the in-thread
 * scorer.
 *
 * @module
 */
import { UsageError } from "../config/flags.ts";
import { BackendError } from "../model/backend.ts";
import { CheckpointError } from "../checkpoint/safetensors.ts";
import type { GrmScorer, ResponseScore } from "./grm_scorer.ts";
import type { InitMessage } from "./grm_worker.ts";

/** A started worker. */
export interface GrmWorker {
  /** Scores jobs in the worker. */
  readonly score: GrmScorer;
  /** The device the worker's backend runs on. */
  readonly device: string;
  /** Stops the worker (pending jobs are rejected). */
  close(): void;
}

// Errors the worker reports by name become the kit's input errors again, so the CLI exits 2.
const INPUT_ERRORS: Record<string, new (message: string) => Error> = {
  CheckpointError,
  BackendError,
  BackendUnavailableError: BackendError,
  UsageError,
};

/**
 * Starts the GRM worker; resolves once its model is loaded, rejects with the worker's error
 * (a CheckpointError, BackendError or UsageError for bad input).
 */
export function startGrmWorker(
  init: Omit<InitMessage, "type">,
  options: { onCall?: (responses: number, judgments: number) => void } = {},
): Promise<GrmWorker> {
  const worker = new Worker(new URL("./grm_worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<
    number,
    { resolve: (r: ResponseScore[][]) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  return new Promise((resolve, reject) => {
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`GRM worker crashed: ${event.message}`);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      reject(error);
    };
    worker.onmessage = (event: MessageEvent) => {
      const message = event.data;
      switch (message.type) {
        case "ready":
          resolve({
            device: message.device,
            score: (jobs) =>
              new Promise((resolveJob, rejectJob) => {
                const id = nextId++;
                pending.set(id, { resolve: resolveJob, reject: rejectJob });
                worker.postMessage({ type: "score", id, jobs });
              }),
            close() {
              worker.terminate();
              for (const p of pending.values()) p.reject(new Error("GRM worker stopped"));
              pending.clear();
            },
          });
          break;
        case "failed": {
          worker.terminate();
          const Make = INPUT_ERRORS[message.name] ?? Error;
          reject(new Make(message.message));
          break;
        }
        case "call":
          options.onCall?.(message.responses, message.judgments);
          break;
        case "scored":
        case "error": {
          const job = pending.get(message.id);
          pending.delete(message.id);
          if (message.type === "scored") job?.resolve(message.result);
          else job?.reject(new Error(`GRM worker: ${message.message}`));
          break;
        }
      }
    };
    worker.postMessage({ type: "init", ...init });
  });
}
