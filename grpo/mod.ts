/**
 * The GRPO objective as IRPM uses it, in pieces:
 *
 * - {@link groupAdvantages} and the batch scalings ({@link advantageScalings}): rewards ->
 *   advantages, plain numbers (`advantages.ts`).
 * - {@link ppoClipLoss}: per-token PPO-clip loss with dual clip (`policy_loss.ts`).
 * - {@link klEstimators}: per-token k1/k2/k3 KL to the reference (`kl.ts`).
 * - {@link lossAggregations}: [B, T] loss + mask -> scalar (`aggregate.ts`).
 * - {@link grpoLoss}: the three combined, with the IRPM defaults (`grpo_loss.ts`).
 * - {@link warmupCosineLr}: the learning-rate schedule (`schedule.ts`).
 * - {@link clipByGlobalNorm}: gradient clipping (`clip_grad.ts`).
 * - {@link adamwInit} / {@link adamwUpdate}: the optimizer (`adamw.ts`).
 *
 * Tensor code imports only `@tensorflow/tfjs-core`. The caller registers a backend and, to train,
 * the gradient functions: tfjs-core registers none by itself (`tf.grad` then fails with "gradient
 * function not found"); importing the `@tensorflow/tfjs` union package registers them all.
 *
 * @module
 */
export * from "./advantages.ts";
export * from "./policy_loss.ts";
export * from "./kl.ts";
export * from "./aggregate.ts";
export * from "./grpo_loss.ts";
export * from "./schedule.ts";
export * from "./clip_grad.ts";
export * from "./adamw.ts";
