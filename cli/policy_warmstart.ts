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
import { type FlagSchema, parseFlags, UsageError } from "../config/flags.ts";
import { saveModelCheckpoint } from "../checkpoint/model_checkpoint.ts";
import { datasetFingerprint } from "../checkpoint/fingerprint.ts";
import { createPrng } from "../rng/prng.ts";
import {
  DEFAULT_POLICY_WARMSTART,
  type PolicyWarmStartConfig,
  runPolicyWarmStart,
} from "../policy/policy_warmstart.ts";
import type { PolicyEvalSummary } from "../policy/policy_eval.ts";
import { runCli } from "./run_cli.ts";
import {
  camelCaseValues,
  startWarmStartRun,
  warmStartFlags,
  warmStartHelp,
  type WarmStartRunFlags,
} from "./warmstart_flags.ts";

const FLAGS: FlagSchema = warmStartFlags({
  "batch-size": { kind: "number", integer: true, min: 1, help: "examples per step" },
  "correct-rate": {
    kind: "number",
    min: 0,
    max: 1,
    help: "probability that a target is the correct answer (else 1-2 edits of it)",
  },
  "eval-prompts": { kind: "number", integer: true, min: 1, help: "held-out prompts" },
});

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
    backend: "auto",
    out: "runs/policy-warmstart",
    logEvery: 50,
  };
  if (parsed.help) {
    console.log(warmStartHelp("policy:warmstart", FLAGS, defaults));
    return 0;
  }
  const { backend, out, logEvery, force, stopAfter, ...recipeValues } = {
    ...defaults,
    ...camelCaseValues(parsed.values),
  } as PolicyWarmStartConfig & WarmStartRunFlags;
  const recipe: PolicyWarmStartConfig = Object.freeze(recipeValues);
  const info = await startWarmStartRun("policy:warmstart", {
    flags: { backend, out, logEvery, force, stopAfter },
    recipe,
  });
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
    model: {
      params: result.params,
      config: result.config,
      runConfig: { policyWarmstart: recipe, stopAfter: stopAfter ?? null, kind: "policy" },
    },
    state: {
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
    },
  });
  console.log(
    `policy:warmstart: wrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  return 0;
}

if (import.meta.main) await runCli("policy:warmstart", main);
