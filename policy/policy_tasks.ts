/**
 * The prompts a policy answers: a fixed held-out set and, for every training step, a batch drawn
 * from a stream keyed by (seed, step), never one of the held-out prompts. Keying by step makes a
 * resumed run draw exactly the prompts it would have drawn (no PRNG state to carry).
 *
 * @module
 */
import { syntheticDomains } from "../data/synthetic/domains.ts";
import type { SyntheticTask } from "../data/synthetic/task.ts";
import { createPrng, type Prng } from "../rng/prng.ts";

function drawTask(rng: Prng, domainNames?: readonly string[]): SyntheticTask {
  const domains = syntheticDomains(domainNames);
  return domains[rng.int(domains.length)].sampleTask(rng);
}

/**
 * `count` distinct held-out prompts (seeded; at most 100 draws per prompt before giving up).
 *
 * @example
 * ```ts
 * import { heldOutTasks } from "./policy_tasks.ts";
 * import { assertEquals } from "@std/assert";
 * const tasks = heldOutTasks({ seed: 0, count: 64 });
 * assertEquals(new Set(tasks.map((t) => t.prompt)).size, 64);
 * assertEquals(heldOutTasks({ seed: 0, count: 64 }), tasks);
 * ```
 */
export function heldOutTasks(
  options: { seed: number; count: number; domains?: readonly string[] },
): SyntheticTask[] {
  const rng = createPrng(options.seed * 7919 + 104729);
  const seen = new Set<string>();
  const tasks: SyntheticTask[] = [];
  for (let draws = 0; tasks.length < options.count; draws++) {
    if (draws > 100 * options.count) {
      throw new RangeError(`heldOutTasks: cannot draw ${options.count} distinct prompts`);
    }
    const task = drawTask(rng, options.domains);
    if (seen.has(task.prompt)) continue;
    seen.add(task.prompt);
    tasks.push(task);
  }
  return tasks;
}

/**
 * The training prompts of step `step` (0-based): `count` tasks from the stream of (seed, step),
 * skipping any prompt in `exclude` (the held-out set).
 *
 * @example
 * ```ts
 * import { heldOutTasks, stepTasks } from "./policy_tasks.ts";
 * import { assert, assertEquals } from "@std/assert";
 * const held = new Set(heldOutTasks({ seed: 0, count: 200 }).map((t) => t.prompt));
 * const a = stepTasks({ seed: 0, step: 3, count: 8, exclude: held });
 * assertEquals(a, stepTasks({ seed: 0, step: 3, count: 8, exclude: held }));
 * assert(a.every((t) => !held.has(t.prompt)));
 * ```
 */
export function stepTasks(
  options: {
    seed: number;
    step: number;
    count: number;
    exclude: ReadonlySet<string>;
    domains?: readonly string[];
  },
): SyntheticTask[] {
  const rng = createPrng((options.seed * 1_000_003 + options.step * 2_654_435 + 17) % 2 ** 31);
  const tasks: SyntheticTask[] = [];
  for (let draws = 0; tasks.length < options.count; draws++) {
    if (draws > 100 * options.count) {
      throw new RangeError("stepTasks: every drawn prompt is held out");
    }
    const task = drawTask(rng, options.domains);
    if (!options.exclude.has(task.prompt)) tasks.push(task);
  }
  return tasks;
}
