/**
 * Policy RL with a GRM as the reward (`deno task policy`): the paper's downstream use, where a
 * pointwise judge scores n answers with n judgments and a pairwise one needs n (n - 1).
 *
 * The format (`policy_format.ts`), prompts (`policy_tasks.ts`), the policy warm-start
 * (`policy_warmstart.ts`), the judges (`judges.ts`, loaded by `load_judge.ts`), one GRPO step
 * (`policy_step.ts`), held-out evaluation (`policy_eval.ts`), the reward-hacking check
 * (`reward_hacking.ts`), the config (`policy_config.ts`) and the run in a directory
 * (`policy_run.ts`).
 *
 * @module
 */
export * from "./policy_format.ts";
export * from "./policy_tasks.ts";
export * from "./policy_warmstart.ts";
export * from "./judges.ts";
export * from "./load_judge.ts";
export * from "./policy_step.ts";
export * from "./policy_eval.ts";
export * from "./reward_hacking.ts";
export * from "./policy_config.ts";
export * from "./policy_run.ts";
