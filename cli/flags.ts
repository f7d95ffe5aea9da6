/** Moved to config/flags.ts (library code must not import cli/); kept while callers move. */
export * from "../config/flags.ts";
