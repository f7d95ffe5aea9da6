/** Moved to config/irpm_flags.ts; kept while callers move. */
export * from "../config/irpm_flags.ts";
