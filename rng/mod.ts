/**
 * Seeded randomness: every sampler in the kit takes a {@link Prng} argument.
 *
 * @module
 */
export * from "./prng.ts";
