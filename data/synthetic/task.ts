/**
 * What a synthetic task domain provides: a seeded task sampler and an exact solver.
 *
 * @module
 */
import type { Prng } from "../../rng/prng.ts";

/** One small verifiable task: a short ASCII prompt and its unique correct answer. */
export interface SyntheticTask {
  /** Domain name, e.g. "arith". */
  domain: string;
  /** The prompt (at most {@link MAX_PROMPT_LENGTH} characters), e.g. "37+48=". */
  prompt: string;
  /** The correct answer (1..{@link MAX_ANSWER_LENGTH} characters), e.g. "85". */
  answer: string;
}

/** A family of tasks. */
export interface SyntheticDomain {
  /** Domain name, used as `PreferencePair.domain`. */
  readonly name: string;
  /** Characters that corruptions substitute or insert (the answer's own alphabet). */
  readonly alphabet: string;
  /** Draws one task. */
  sampleTask(rng: Prng): SyntheticTask;
  /** The answer to a prompt of this domain, or `undefined` when the prompt is not of it. */
  solve(prompt: string): string | undefined;
}

/** Longest prompt a domain may produce (keeps a judge sequence within 64 symbols). */
export const MAX_PROMPT_LENGTH = 12;

/** Longest answer a domain may produce. */
export const MAX_ANSWER_LENGTH = 6;

/** A candidate response is at most this many characters longer than the answer. */
export const MAX_EXTRA_CHARS = 2;
