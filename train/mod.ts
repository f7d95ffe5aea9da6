/**
 * Training a pointwise GRM with IRPM + GRPO, and the warm-start before it.
 *
 * - `config.ts`: the one typed run config, its defaults and reasons, flags/JSON filling it
 * - `step.ts`: one IRPM step, numbered as in method.md
 * - `trainer.ts`: the loop (schedules, NaN/Inf skips, callbacks for all I/O)
 * - `judge.ts`, `evaluate.ts`: the GRM as a pointwise judge; held-out pairwise accuracy
 * - `warmstart.ts`: the supervised warm-start on the synthetic suite; `supervised.ts`: the loop it
 *   shares with the pairwise baseline's and the policy's warm-starts
 * - `data.ts`, `policy_init.ts`, `optimize.ts`: the pieces around them
 * - `run_dir.ts`, `report.ts`, `progress.ts`: the run directory, report.html, progress lines
 * - `resume.ts`: what `--resume` may continue, and with which settings
 * - `divergence.ts`: non-finite weights stop a run by name
 * - `sweep_grid.ts`, `sweep_summary.ts`: ablation grids and their summaries
 *
 * @module
 */
export * from "./config.ts";
export * from "./data.ts";
export * from "./judge.ts";
export * from "./evaluate.ts";
export * from "./optimize.ts";
export * from "./step.ts";
export * from "./grpo_update.ts";
export * from "./trainer.ts";
export * from "./supervised.ts";
export * from "./warmstart.ts";
export * from "./policy_init.ts";
export * from "./report.ts";
export * from "./progress.ts";
export * from "./run_dir.ts";
export * from "./resume.ts";
export * from "./divergence.ts";
export * from "./sweep_grid.ts";
export * from "./sweep_summary.ts";
export * from "./run.ts";
export * from "./policy_state.ts";
