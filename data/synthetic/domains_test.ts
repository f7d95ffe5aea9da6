import { assert, assertEquals } from "@std/assert";
import { createPrng } from "../../rng/prng.ts";
import { solveArith } from "./arith.ts";
import { parseSyntheticPrompt, SYNTHETIC_DOMAINS, syntheticDomains } from "./domains.ts";
import { solveReverse } from "./reverse.ts";
import { solveSort } from "./sort.ts";
import { MAX_ANSWER_LENGTH, MAX_PROMPT_LENGTH } from "./task.ts";

Deno.test("solvers: hand examples and rejections", () => {
  assertEquals(solveArith("37+48="), "85");
  assertEquals(solveArith("99+99="), "198");
  assertEquals(solveArith("52-19="), "33");
  assertEquals(solveArith("5-5="), "0");
  assertEquals(solveArith("19-52="), undefined); // would be negative
  assertEquals(solveArith("37+48"), undefined);
  assertEquals(solveReverse("rev kqmt"), "tmqk");
  assertEquals(solveReverse("rev KQ"), undefined);
  assertEquals(solveSort("sort 5213"), "1235");
  assertEquals(solveSort("sort 5a13"), undefined);
});

Deno.test("every domain: sampled prompts <= 12 chars, answers 1..6, solvable, recognised by one domain", () => {
  const rng = createPrng(4);
  const allowed = /^[a-z0-9+\-= ]+$/;
  for (const domain of syntheticDomains()) {
    const prompts = new Set<string>();
    for (let t = 0; t < 1000; t++) {
      const task = domain.sampleTask(rng);
      prompts.add(task.prompt);
      assertEquals(task.domain, domain.name);
      assert(task.prompt.length <= MAX_PROMPT_LENGTH, task.prompt);
      assert(task.answer.length >= 1 && task.answer.length <= MAX_ANSWER_LENGTH, task.answer);
      assert(allowed.test(task.prompt) && allowed.test(task.answer), task.prompt);
      assert([...task.answer].every((c) => domain.alphabet.includes(c)), task.answer);
      assertEquals(parseSyntheticPrompt(task.prompt), task);
      const others = Object.values(SYNTHETIC_DOMAINS).filter((d) => d !== domain);
      assert(others.every((d) => d.solve(task.prompt) === undefined), task.prompt);
    }
    assert(prompts.size > 500, `${domain.name}: only ${prompts.size} distinct prompts`);
  }
});
