/**
 * Held-out evaluation of a policy: its greedy answer to each held-out prompt (and, with
 * `samples > 0`, that many answers sampled at temperature 1), scored by the hidden truth.
 *
 * Every number of the summary is a mean over the per-item records it returns, which the run
 * writes to `eval/step-N.jsonl`.
 *
 * @module
 */
import { mean } from "../irpm/group_stats.ts";
import type { SyntheticTask } from "../data/synthetic/task.ts";
import { syntheticQuality } from "../data/synthetic/score.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { generate } from "../model/sample.ts";
import { EOS_ID } from "../model/tokenizer.ts";
import type { Prng } from "../rng/prng.ts";
import { POLICY_MAX_NEW_TOKENS, policyAnswer, policyPromptTokens } from "./policy_format.ts";

/** One held-out prompt's outcome. */
export interface PolicyEvalItem {
  readonly prompt: string;
  readonly domain: string;
  readonly answer: string;
  /** The greedy answer (up to EOS). */
  readonly greedy: string;
  readonly finished: boolean;
  /** Hidden quality of the greedy answer (0..10). */
  readonly quality: number;
  /** Sampled answers (temperature 1) and their qualities; empty without `samples`. */
  readonly sampled: readonly string[];
  readonly sampledQualities: readonly number[];
}

/** Means over the items of {@link PolicyEvalItem}. */
export interface PolicyEvalSummary {
  /** Mean hidden quality of the greedy answers (0..10). */
  readonly quality: number;
  /** Share of greedy answers equal to the correct answer. */
  readonly exactRate: number;
  /** Share of greedy answers that ended on EOS. */
  readonly finishedRate: number;
  /** Mean hidden quality of the sampled answers (NaN without samples). */
  readonly sampledQuality: number;
  /** Share of sampled answers that are exact (NaN without samples). */
  readonly sampledExactRate: number;
  /** Greedy quality per domain. */
  readonly byDomain: Record<string, number>;
  readonly n: number;
}

/**
 * The summary of per-item records.
 *
 * @example
 * ```ts
 * import { summarizePolicyEval } from "./policy_eval.ts";
 * import { assertEquals } from "@std/assert";
 * const item = (domain: string, greedy: string, quality: number) => ({
 *   prompt: "p", domain, answer: "85", greedy, finished: true, quality,
 *   sampled: ["85", "84"], sampledQualities: [10, 5],
 * });
 * const s = summarizePolicyEval([item("arith", "85", 10), item("sort", "84", 5)]);
 * assertEquals([s.quality, s.exactRate, s.sampledQuality, s.sampledExactRate], [7.5, 0.5, 7.5, 0.5]);
 * assertEquals(s.byDomain, { arith: 10, sort: 5 });
 * ```
 */
export function summarizePolicyEval(items: readonly PolicyEvalItem[]): PolicyEvalSummary {
  const domains = [...new Set(items.map((i) => i.domain))].sort();
  const sampledExact = items.flatMap((i) => i.sampled.map((s) => (s === i.answer ? 1 : 0)));
  return {
    quality: mean(items.map((i) => i.quality)),
    exactRate: mean(items.map((i) => (i.greedy === i.answer ? 1 : 0))),
    finishedRate: mean(items.map((i) => (i.finished ? 1 : 0))),
    sampledQuality: mean(items.flatMap((i) => i.sampledQualities)),
    sampledExactRate: mean(sampledExact),
    byDomain: Object.fromEntries(
      domains.map((d) => [d, mean(items.filter((i) => i.domain === d).map((i) => i.quality))]),
    ),
    n: items.length,
  };
}

/** Answers every held-out task greedily (plus `samples` sampled answers each, with `rng`). */
export async function evaluatePolicyAnswers(
  model: { params: Params; config: ModelConfig },
  tasks: readonly SyntheticTask[],
  options: { samples?: number; rng?: Prng } = {},
): Promise<{ items: PolicyEvalItem[]; summary: PolicyEvalSummary }> {
  const samples = options.samples ?? 0;
  const prompts = tasks.map((t) => policyPromptTokens(t.prompt));
  const common = { maxNewTokens: POLICY_MAX_NEW_TOKENS, stopIds: [EOS_ID] };
  const greedy = await generate(model, { prompts, ...common, greedy: true });
  const sampled = samples > 0
    ? await generate(model, {
      prompts,
      ...common,
      rollouts: samples,
      temperature: 1,
      rng: options.rng,
    })
    : [];
  const items = tasks.map((task, i): PolicyEvalItem => {
    const g = policyAnswer(greedy[i].tokens);
    const mine = sampled.slice(i * samples, (i + 1) * samples).map((r) =>
      policyAnswer(r.tokens).text
    );
    return {
      prompt: task.prompt,
      domain: task.domain,
      answer: task.answer,
      greedy: g.text,
      finished: g.finished,
      quality: syntheticQuality(task, g.text),
      sampled: mine,
      sampledQualities: mine.map((s) => syntheticQuality(task, s)),
    };
  });
  return { items, summary: summarizePolicyEval(items) };
}
