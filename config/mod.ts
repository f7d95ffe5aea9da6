/**
 * The kit's command-line grammar, below every entry point and library that reads flags: flag
 * parsing with strict decimals and named errors ({@link UsageError}), help text, and the IRPM
 * flags (margin, alpha) shared by `train` and `rewards`. cli/ imports it; nothing here imports
 * cli/.
 *
 * @module
 */
export * from "./flags.ts";
export * from "./irpm_flags.ts";
