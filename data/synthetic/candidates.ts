/**
 * Candidate sets for best-of-n and ranking evaluation: one task, n responses with a spread of
 * hidden qualities.
 *
 * @module
 */
import { createPrng, type Prng } from "../../rng/prng.ts";
import { corruptTask } from "./corrupt.ts";
import { syntheticDomains } from "./domains.ts";
import { syntheticQuality } from "./score.ts";
import type { SyntheticTask } from "./task.ts";

/** One candidate set. */
export interface SyntheticCandidateSet {
  /** `c<seed>-<index>`. */
  id: string;
  /** Domain name. */
  domain: string;
  /** The task prompt (the context is one user turn with this content). */
  prompt: string;
  /** The correct answer. */
  answer: string;
  /** n candidates in shuffled order, each with its hidden quality 0..10. */
  candidates: { text: string; quality: number }[];
}

/** Options of {@link syntheticCandidates}. */
export interface SyntheticCandidatesOptions {
  /** PRNG seed (integer). */
  seed: number;
  /** Candidates per set (>= 1). */
  n: number;
  /** Number of sets. */
  count: number;
  /** One domain for every set (default: each set draws one of all domains). */
  domain?: string;
}

const TRIES_PER_CANDIDATE = 24;

/** Edit counts spread evenly over 0..L: k_j = floor(j (L + 1) / n). */
function editCounts(answerLength: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => Math.floor((j * (answerLength + 1)) / n));
}

function candidateTexts(task: SyntheticTask, n: number, rng: Prng): string[] {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const k of editCounts(task.answer.length, n)) {
    let text = corruptTask(task, { edits: k, rng });
    // Distinct where possible: retry, raising k by one every 4 failures (k = 0 has one text).
    for (let t = 1; t < TRIES_PER_CANDIDATE && seen.has(text); t++) {
      text = corruptTask(task, {
        edits: Math.min(task.answer.length, k + Math.floor(t / 4)) || 1,
        rng,
      });
    }
    seen.add(text);
    texts.push(text);
  }
  for (let i = texts.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [texts[i], texts[j]] = [texts[j], texts[i]];
  }
  return texts;
}

/**
 * `count` candidate sets of `n` responses each, deterministic in `seed`. Candidate j (before the
 * shuffle) gets k_j = floor(j (|answer| + 1) / n) edits, so the set spans correct (k = 0) to
 * heavily corrupted (k = |answer|); texts are distinct where the task allows.
 *
 * @example
 * ```ts
 * import { syntheticCandidates } from "./candidates.ts";
 * import { assertEquals } from "@std/assert";
 * const [set] = syntheticCandidates({ seed: 0, n: 4, count: 1, domain: "sort" });
 * assertEquals(set.candidates.length, 4);
 * assertEquals(new Set(set.candidates.map((c) => c.text)).size, 4);
 * assertEquals(Math.max(...set.candidates.map((c) => c.quality)), 10); // k_0 = 0: the answer itself
 * ```
 */
export function syntheticCandidates(options: SyntheticCandidatesOptions): SyntheticCandidateSet[] {
  const { seed, n, count } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be an integer >= 0, got ${count}`);
  }
  const domains = syntheticDomains(options.domain === undefined ? undefined : [options.domain]);
  const rng = createPrng(seed);
  return Array.from({ length: count }, (_, i) => {
    const task = domains[rng.int(domains.length)].sampleTask(rng);
    const texts = candidateTexts(task, n, rng);
    return {
      id: `c${seed}-${i}`,
      domain: task.domain,
      prompt: task.prompt,
      answer: task.answer,
      candidates: texts.map((text) => ({ text, quality: syntheticQuality(task, text) })),
    };
  });
}
