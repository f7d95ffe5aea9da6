/**
 * Tested helpers behind the notebooks: a toy GRM score model with an exact Bradley-Terry
 * expectation, Monte-Carlo experiments on the intergroup estimator, and a side-by-side of the
 * reward designs, and an in-memory training session. Notebooks import these and only display.
 *
 * @module
 */
export * from "./score_model.ts";
export * from "./estimator_sim.ts";
export * from "./design_comparison.ts";
export * from "./train_session.ts";
export * from "./ablation_results.ts";
export * from "./voting_results.ts";
export * from "./policy_results.ts";
export * from "./open_questions.ts";
export * from "./grid_cells.ts";
