/**
 * The GRM in a worker thread: the worker owns the tfjs backend and the model, so the server's
 * thread stays free to accept connections, read bodies, queue requests and answer `/health` and
 * `/metrics` while a generation call runs (on the CPU backends a generation call never yields to
 * the event loop). Started by {@link startGrmWorker} in `worker_scorer.ts`.
 *
 * Messages in: `{type: "init", checkpoint, backend, options}`, then `{type: "score", id, jobs}`.
 * Messages out: `{type: "ready", device}` or `{type: "failed", name, message}` once; then per
 * generation call `{type: "call", responses, judgments}` and per score request
 * `{type: "scored", id, result}` or `{type: "error", id, message}`.
 *
 * @module
 */
import type { ServeBackend } from "./config.ts";
import { startBackend } from "../model/backend_choice.ts";
import { loadJudgeModel } from "../baselines/judge_checkpoint.ts";
import type { ResponseItem } from "../data/types.ts";
import { createGrmScorer, type GrmScorer, type GrmScorerOptions } from "./grm_scorer.ts";

/** The first message a worker gets. */
export interface InitMessage {
  readonly type: "init";
  readonly checkpoint: string;
  readonly backend: ServeBackend;
  readonly options: Omit<GrmScorerOptions, "onCall">;
}

// deno-lint-ignore no-explicit-any
const worker = self as any;
let scorer: GrmScorer | null = null;

worker.onmessage = async (event: MessageEvent) => {
  const message = event.data;
  if (message.type === "init") {
    const init = message as InitMessage;
    try {
      const backend = await startBackend(init.backend);
      const model = await loadJudgeModel(init.checkpoint);
      if (model.kind !== "pointwise") {
        throw Object.assign(
          new Error(
            `${init.checkpoint} holds a ${model.kind} judge; serve needs a pointwise GRM checkpoint`,
          ),
          { name: "UsageError" },
        );
      }
      scorer = createGrmScorer(model, {
        ...init.options,
        onCall: (responses, judgments) =>
          worker.postMessage({ type: "call", responses, judgments }),
      });
      worker.postMessage({ type: "ready", device: backend.device });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      worker.postMessage({ type: "failed", name, message });
    }
    return;
  }
  if (message.type === "score") {
    try {
      const result = await scorer!(message.jobs as ResponseItem[][]);
      worker.postMessage({ type: "scored", id: message.id, result });
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      worker.postMessage({ type: "error", id: message.id, message: text });
    }
  }
};
