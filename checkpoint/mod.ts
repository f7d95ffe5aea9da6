/**
 * Checkpoints: parameters (and optimiser state) saved as safetensors with a JSON sidecar that
 * records what produced them, written atomically and checked on load.
 *
 * - `safetensors.ts`: the file format (encode, decode, named {@link CheckpointError}s);
 * - `host_tensors.ts`: tensors <-> host arrays;
 * - `fingerprint.ts`: SHA-256 and canonical JSON (dataset and config fingerprints);
 * - `checkpoint_sidecar.ts`: the sidecar (step, data cursor, PRNG state, config, extra);
 * - `checkpoint.ts`: save and load a checkpoint directory;
 * - `model_checkpoint.ts`: a GRM's parameters, config and AdamW state as one checkpoint.
 *
 * @module
 */
export * from "./safetensors.ts";
export * from "./host_tensors.ts";
export * from "./fingerprint.ts";
export * from "./checkpoint_sidecar.ts";
export * from "./checkpoint.ts";
export * from "./model_checkpoint.ts";
