/**
 * The kit's common preference-data types: every loader in `data/` produces these.
 *
 * @module
 */

/** Who speaks a turn of a conversation. */
export type Role = "user" | "assistant" | "system";

/** The roles a {@link Turn} may carry, in the order error messages list them. */
export const ROLES: readonly Role[] = Object.freeze(["user", "assistant", "system"]);

/** One turn of a conversation context. */
export interface Turn {
  /** Who speaks. */
  role: Role;
  /** What was said (may contain newlines). */
  content: string;
}

/**
 * One response to judge alone: the conversation it answers and its text. What a pointwise GRM
 * scores (train/judge.ts), what evaluation deduplicates pairs into (eval_run/responses.ts), and
 * what the server receives (serve/).
 */
export interface ResponseItem {
  readonly context: readonly Turn[];
  readonly response: string;
}

/**
 * One preference pair: a context and two responses, the chosen one preferred.
 *
 * `strength` is the annotated preference strength `|overall_preference|` on HelpSteer3's 0..3
 * scale (0 = tie, 1 = slightly better, 2 = better, 3 = much better); method.md's adaptive margin
 * is `delta = strength - 2`.
 */
export interface PreferencePair {
  /** Stable identifier (file:line, the row's own id, or a generated id). */
  id: string;
  /** The conversation before the responses; usually ends on a user turn. */
  context: Turn[];
  /** The preferred response (for a tie: response1). */
  chosen: string;
  /** The other response. */
  rejected: string;
  /** `|overall_preference|`, an integer in 0..3. */
  strength: number;
  /** Task domain or benchmark subset (e.g. "code", "arith"). */
  domain: string;
  /** Extra per-pair facts (e.g. `tie`, `language`, hidden synthetic qualities). */
  meta?: Record<string, unknown>;
}
