/**
 * `deno task policy:warmstart`: the policy warm-start of `deno task policy` (policy/
 * policy_warmstart.ts), from a recorded recipe. Writes a weights-only checkpoint whose sidecar
 * records the recipe, the backend and the held-out numbers at the end.
 *
 *   deno task policy:warmstart                          # -> runs/policy-warmstart
 *   deno task policy:warmstart --steps 300 --out checkpoints/policy-small --force
 *
 * Bad flags and output paths exit 2.
 *
 * @module
 */
import {
  camelToKebab,
  type FlagSchema,
  formatHelp,
  kebabToCamel,
  parseFlags,
  UsageError,
} from "../config/flags.ts";
import { BACKEND_NAMES, type BackendName, initBackend } from "../model/backend.ts";
import { saveModelCheckpoint } from "../checkpoint/model_checkpoint.ts";
import { datasetFingerprint } from "../checkpoint/fingerprint.ts";
import { createPrng } from "../rng/prng.ts";
import {
  DEFAULT_POLICY_WARMSTART,
  type PolicyWarmStartConfig,
  runPolicyWarmStart,
} from "../policy/policy_warmstart.ts";
import type { PolicyEvalSummary } from "../policy/policy_eval.ts";
import { claimOutputDir } from "../train/run_dir.ts";
import { runCli } from "./run_cli.ts";

const FLAGS: FlagSchema = {
  "preset": { kind: "string", help: "model preset" },
  "seed": { kind: "number", integer: true, min: 0, help: "seed" },
  "steps": { kind: "number", integer: true, min: 1, help: "optimizer steps" },
  "batch-size": { kind: "number", integer: true, min: 1, help: "examples per step" },
  "lr": { kind: "number", min: 0, help: "peak learning rate" },
  "warmup-steps": { kind: "number", integer: true, min: 0, help: "warm-up steps" },
  "correct-rate": {
    kind: "number",
    min: 0,
    max: 1,
    help: "probability that a target is the correct answer (else 1-2 edits of it)",
  },
  "eval-every": { kind: "number", integer: true, min: 0, help: "evaluate every N steps" },
  "eval-prompts": { kind: "number", integer: true, min: 1, help: "held-out prompts" },
  "backend": { kind: "choice", choices: BACKEND_NAMES, help: "tfjs backend" },
  "out": { kind: "string", help: "checkpoint directory" },
  "force": {
    kind: "boolean",
    help: "replace the checkpoint already in --out (never a folder the kit did not write)",
  },
  "stop-after": {
    kind: "number",
    integer: true,
    min: 1,
    help: "stop (and save) after N steps of the schedule",
  },
  "log-every": { kind: "number", integer: true, min: 1, help: "progress line every N steps" },
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One eval line: greedy quality and exact rate, sampled quality and exact rate. */
export function policyEvalLine(step: number, s: PolicyEvalSummary): string {
  return `eval step ${step}: greedy quality ${s.quality.toFixed(2)}/10, exact ${
    pct(s.exactRate)
  }, finished ${pct(s.finishedRate)}; sampled (T=1) quality ${
    s.sampledQuality.toFixed(2)
  }/10, exact ${pct(s.sampledExactRate)} (n ${s.n})`;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, FLAGS);
  if (parsed.positional.length) throw new UsageError(`unexpected "${parsed.positional[0]}"`);
  const defaults = {
    ...DEFAULT_POLICY_WARMSTART,
    backend: "wasm",
    out: "runs/policy-warmstart",
    logEvery: 50,
  };
  if (parsed.help) {
    console.log(
      "Usage: deno task policy:warmstart [flags]\n\n" + formatHelp(
        FLAGS,
        Object.fromEntries(Object.entries(defaults).map(([k, v]) => [camelToKebab(k), v])),
      ),
    );
    return 0;
  }
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.values)) values[kebabToCamel(k)] = v;
  const { backend, out, logEvery, force, stopAfter, ...recipeValues } = {
    ...defaults,
    ...values,
  } as
    & PolicyWarmStartConfig
    & {
      backend: BackendName;
      out: string;
      logEvery: number;
      force?: boolean;
      stopAfter?: number;
    };
  const recipe: PolicyWarmStartConfig = Object.freeze(recipeValues);
  await claimOutputDir(out, {
    force: force === true,
    kind: "checkpoint",
    what: "--out",
    keep: true,
  });
  const info = await initBackend(backend);
  console.log(`policy:warmstart: backend ${info.name} on ${info.device}`);
  console.log(`policy:warmstart: recipe ${JSON.stringify(recipe)}`);
  const started = performance.now();
  let lastLoss = NaN;
  const result = await runPolicyWarmStart(recipe, {
    stopAfter,
    onStep: (p) => {
      lastLoss = p.loss;
      if (p.step % logEvery === 0 || p.step === recipe.steps) {
        console.log(
          `step ${p.step}/${recipe.steps} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} (${
            p.seconds.toFixed(0)
          } s)`,
        );
      }
    },
    onEval: (step, summary) => console.log(policyEvalLine(step, summary)),
  });
  await saveModelCheckpoint(out, {
    params: result.params,
    config: result.config,
    runConfig: { policyWarmstart: recipe, stopAfter: stopAfter ?? null, kind: "policy" },
  }, {
    step: result.step,
    dataCursor: null,
    prngState: createPrng(recipe.seed).state(),
    datasetFingerprint: await datasetFingerprint(["policy-warmstart", recipe.seed]),
    extra: {
      role: "policy warm-start",
      backend: info,
      heldOut: result.evaluation,
      lossAtStep: lastLoss,
      seconds: (performance.now() - started) / 1000,
    },
  });
  console.log(
    `policy:warmstart: wrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  return 0;
}

if (import.meta.main) await runCli("policy:warmstart", main);
