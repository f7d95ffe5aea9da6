/**
 * Where the policy starts: the shipped warm-start checkpoint, a fresh warm-start, a checkpoint
 * directory, or random weights ("off"). The frozen reference model is a copy of that start.
 *
 * @module
 */
import { presetConfig } from "../model/config.ts";
import { initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import type { TrainConfig } from "./config.ts";
import { loadForFlag, loadModelCheckpoint } from "../checkpoint/model_checkpoint.ts";
import { UsageError } from "../config/flags.ts";
import { type PolicyState, startingPolicy } from "./policy_state.ts";
import { DEFAULT_WARMSTART_CONFIG, runWarmStart, type WarmStartProgress } from "./warmstart.ts";

/** The shipped warm-start checkpoint of each preset that has one. */
export const SHIPPED_WARMSTARTS: Readonly<Record<string, URL>> = Object.freeze({
  small: new URL("../checkpoints/warmstart-small", import.meta.url),
});

/** What the policy was started from, for config.json and the report. */
export interface PolicyOrigin {
  readonly kind: "shipped" | "fresh" | "off" | "checkpoint";
  readonly path?: string;
  readonly sha256?: string;
  readonly warmStart?: Record<string, unknown>;
}

/** Builds the starting policy (and its frozen reference copy) for a config. */
export async function initialPolicy(
  config: Readonly<TrainConfig>,
  options: { onWarmStartStep?: (p: WarmStartProgress) => void } = {},
): Promise<{ policy: PolicyState; origin: PolicyOrigin }> {
  const source = config.warmStart;
  if (source === "off") {
    const modelConfig = presetConfig(config.preset);
    const params = initParams(modelConfig, createPrng(config.seed));
    return { policy: startingPolicy({ params, config: modelConfig }), origin: { kind: "off" } };
  }
  if (source === "fresh") {
    const recipe = { ...DEFAULT_WARMSTART_CONFIG, preset: config.preset, seed: config.seed };
    const result = await runWarmStart(recipe, { onStep: options.onWarmStartStep });
    return {
      policy: startingPolicy(result),
      origin: {
        kind: "fresh",
        warmStart: {
          recipe,
          formatValidRate: result.evaluation.formatValidRate,
          heldOut: result.evaluation.report.overall,
        },
      },
    };
  }
  let dir: string;
  let kind: PolicyOrigin["kind"];
  if (source === "shipped") {
    const url = SHIPPED_WARMSTARTS[config.preset];
    if (!url) {
      throw new UsageError(
        `no shipped warm-start checkpoint for preset "${config.preset}" (shipped: ${
          Object.keys(SHIPPED_WARMSTARTS).join(", ")
        }); use --warm-start fresh, off, or a checkpoint directory`,
      );
    }
    dir = url.pathname;
    kind = "shipped";
  } else {
    dir = source;
    kind = "checkpoint";
  }
  const loaded = await loadForFlag(
    `--warm-start ${source}`,
    () => loadModelCheckpoint(dir, { expectModel: presetConfig(config.preset) }),
  );
  return {
    policy: startingPolicy(loaded),
    origin: {
      kind,
      path: dir,
      sha256: loaded.sidecar.sha256,
      warmStart: loaded.sidecar.extra as Record<string, unknown> | undefined,
    },
  };
}
