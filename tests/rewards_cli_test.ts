/**
 * End-to-end tests of `deno task rewards` (cli/rewards.ts): the real CLI is spawned with no
 * permission flags, exactly as the task runs it.
 */
import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { parseRewardsArgs, REWARDS_DEFAULTS, runRewardsCli } from "../cli/rewards.ts";
import { runCli } from "./_cli.ts";

const repoRoot = new URL("..", import.meta.url);

function runRewards(args: string[], input: string) {
  return runCli("cli/rewards.ts", args, { input, permissions: false });
}

const parseLines = (text: string) =>
  text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));

Deno.test("sample file: output equals the hand-worked expected file (default mean, adaptive)", async () => {
  // Worked by hand (strict comparisons; a tie loses):
  // hs3-0001, strength 2 -> delta 0. S_c = [7, 5, 8, 6], mean 26/4 = 6.5; S_r = [6, 4, 7, 5], mean 22/4 = 5.5
  //   chosen bar 5.5: 7 +1, 5 -1, 8 +1, 6 +1;   rejected bar 6.5: 6 +1, 4 +1, 7 -1, 5 +1
  // hs3-0002, strength 2 -> delta 0. Chosen "Score: 8/10" has no tags -> stand-in 0, -0.5;
  //   rejected <score>10.5</score> is out of range -> stand-in 10, -0.5.
  //   S_c = [8, 7, 9, 0], mean 24/4 = 6; S_r = [6, 10, 5, 4], mean 25/4 = 6.25
  //   chosen bar 6.25: 8 +1, 7 +1, 9 +1, 0 -> -1 - 0.5 = -1.5
  //   rejected bar 6: 6 -> -1 (tie), 10 -> -1 - 0.5 = -1.5, 5 +1, 4 +1
  //   (lines interleave: r6 c8 r10 c7 c9 r5 c0 r4)
  // hs3-0003, strength 3 -> delta 1. S_c = [9, 8.5, 7, 8], mean 32.5/4 = 8.125;
  //   S_r = [6, 7.5, 5, 7], mean 25.5/4 = 6.375
  //   chosen bar 6.375 + 1 = 7.375: 9 +1, 8.5 +1, 7 -1, 8 +1
  //   rejected bar 8.125 - 1 = 7.125: 6 +1, 7.5 -1, 5 +1, 7 +1   (lines alternate c r c r ...)
  const input = await Deno.readTextFile(new URL("data/samples/rollouts_sample.jsonl", repoRoot));
  const expected = await Deno.readTextFile(
    new URL("data/samples/rollouts_sample_expected.jsonl", repoRoot),
  );
  const result = await runRewards([], input);
  assertEquals(result.stderr, "");
  assertEquals(result.code, 0);
  assertEquals(parseLines(result.stdout), parseLines(expected));
  assertEquals(result.stdout, expected);
});

// Tiny pair for the per-design checks: strength 2, run with --margin 1.
// S_c = [9, 6, 6, 8]: mean 7.25, median 7, SS 6.75, sd 1.5, se 0.75
// S_r = [2, 6, 5, 7]: mean 5,    median 5.5, SS 14, sd sqrt(14/3) = 2.1602469, se 1.0801234
const tinyScores = { chosen: [9, 6, 6, 8], rejected: [2, 6, 5, 7] };
const tinyAt = (strength: number) =>
  [
    ...tinyScores.chosen.map((s) => ({ side: "chosen", s })),
    ...tinyScores.rejected.map((s) => ({ side: "rejected", s })),
  ].map(({ side, s }) =>
    JSON.stringify({
      pair: "tiny",
      side,
      strength,
      text: `<critique>c</critique><score>${s}</score>`,
    })
  ).join("\n");
const tiny = tinyAt(2);

async function tinyRewards(args: string[], input = tiny): Promise<number[]> {
  const result = await runRewards(args, input);
  assertEquals([result.code, result.stderr], [0, ""]);
  return parseLines(result.stdout).map((line) => line.reward);
}

Deno.test("--design mean / median / interval / winrate on the tiny pair (hand numbers)", async () => {
  // mean, delta 1: chosen bar 5 + 1 = 6 -> 9 +1, 6 -1 (tie), 6 -1, 8 +1
  //                rejected bar 7.25 - 1 = 6.25 -> 2 +1, 6 +1, 5 +1, 7 -1
  assertEquals(await tinyRewards(["--design", "mean", "--margin", "1"]), [
    1,
    -1,
    -1,
    1,
    1,
    1,
    1,
    -1,
  ]);
  // median, delta 1: chosen bar 5.5 + 1 = 6.5 -> +1 -1 -1 +1
  //                  rejected bar 7 - 1 = 6 -> 2 +1, 6 -1 (tie), 5 +1, 7 -1
  assertEquals(await tinyRewards(["--design=median", "--margin=1"]), [
    1,
    -1,
    -1,
    1,
    1,
    -1,
    1,
    -1,
  ]);
  // interval, delta 1, t(0.975, 3) = 3.1824463:
  //   CI_high(S_r) = 5 + 3.1824463 * 1.0801234 = 8.4374354 -> bar 9.4374: every chosen -1
  //   CI_low(S_c) = 7.25 - 3.1824463 * 0.75 = 4.8631653 -> bar 3.8632: 2 +1, 6 -1, 5 -1, 7 -1
  assertEquals(await tinyRewards(["--design", "interval", "--margin", "1"]), [
    -1,
    -1,
    -1,
    -1,
    1,
    -1,
    -1,
    -1,
  ]);
  // interval with --alpha 0.5, t(0.75, 3) = 0.7648923:
  //   CI_high(S_r) = 5 + 0.7648923 * 1.0801234 = 5.8261 -> bar 6.8261: 9 +1, 6 -1, 6 -1, 8 +1
  //   CI_low(S_c) = 7.25 - 0.7648923 * 0.75 = 6.6763 -> bar 5.6763: 2 +1, 6 -1, 5 +1, 7 -1
  assertEquals(await tinyRewards(["--design", "interval", "--margin", "1", "--alpha", "0.5"]), [
    1,
    -1,
    -1,
    1,
    1,
    -1,
    1,
    -1,
  ]);
  // winrate (margin ignored): chosen 9 beats 4/4, 6 beats 2 and 5 (6 = 6 no) -> 2/4, 6 -> 2/4, 8 -> 4/4
  //   rejected 2 is below 4/4, 6 below 9 and 8 -> 2/4, 5 below 4/4, 7 below 9 and 8 -> 2/4
  assertEquals(await tinyRewards(["--design", "winrate", "--margin", "1"]), [
    1,
    0.5,
    0.5,
    1,
    1,
    0.5,
    1,
    0.5,
  ]);
});

Deno.test("--design preference on the tiny pair (hand numbers)", async () => {
  // sigmoids: s(-1) 0.2689414214, s(0) 0.5, s(1) 0.7310585786, s(2) 0.8807970780,
  //           s(3) 0.9525741268, s(4) 0.9820137900, s(6) 0.9975273768, s(7) 0.9990889488
  // chosen 9: diffs 7 3 4 2  -> (0.9990889488 + 0.9525741268 + 0.9820137900 + 0.8807970780) / 4 = 0.9536184859
  // chosen 6: diffs 4 0 1 -1 -> (0.9820137900 + 0.5 + 0.7310585786 + 0.2689414214) / 4 = 0.6205034475 (twice)
  // chosen 8: diffs 6 2 3 1  -> (0.9975273768 + 0.8807970780 + 0.9525741268 + 0.7310585786) / 4 = 0.8904892901
  // rejected 2: c - 2 = 7 4 4 6 -> 3.9606439057 / 4 = 0.9901609764
  // rejected 6: 3 0 0 2 -> 2.8333712048 / 4 = 0.7083428012
  // rejected 5: 4 1 1 3 -> 3.3967050741 / 4 = 0.8491762685
  // rejected 7: 2 -1 -1 1 -> 2.1497384993 / 4 = 0.5374346248
  const expected = [
    0.9536184859,
    0.6205034475,
    0.6205034475,
    0.8904892901,
    0.9901609764,
    0.7083428012,
    0.8491762685,
    0.5374346248,
  ];
  const rewards = await tinyRewards(["--design", "preference"]);
  assertEquals(rewards.length, expected.length);
  rewards.forEach((reward, i) => assertAlmostEquals(reward, expected[i], 1e-9));
});

Deno.test("--margin: adaptive follows the strength; a fixed number overrides it", async () => {
  // strength 2 -> delta 0: bars 5 and 7.25, everyone wins.
  const everyoneWins = [1, 1, 1, 1, 1, 1, 1, 1];
  assertEquals(await tinyRewards([]), everyoneWins);
  // strength 3 -> delta 1: the same as --margin 1 above (bars 6 and 6.25).
  const deltaOne = [1, -1, -1, 1, 1, 1, 1, -1];
  assertEquals(await tinyRewards([], tinyAt(3)), deltaOne);
  assertEquals(await tinyRewards(["--margin", "adaptive"], tinyAt(3)), deltaOne);
  // --margin 0 ignores the strength (bars 5 and 7.25).
  assertEquals(await tinyRewards(["--margin", "0"], tinyAt(3)), everyoneWins);
});

Deno.test("blank lines and CRLF are skipped but keep line numbers; empty input gives no output", async () => {
  const lines = tiny.split("\n");
  const spaced = ["", lines.slice(0, 4).join("\r\n"), "   ", lines.slice(4).join("\n"), ""].join(
    "\n",
  );
  const result = await runRewards([], spaced);
  assertEquals(result.code, 0);
  assertEquals(parseLines(result.stdout).length, 8);
  const broken = await runRewards([], ["", "", "{oops"].join("\n"));
  assertEquals(broken.code, 2);
  assertStringIncludes(broken.stderr, "stdin:3:");
  const empty = await runRewards([], "");
  assertEquals([empty.code, empty.stdout, empty.stderr], [0, "", ""]);
});

Deno.test("--help prints usage to stdout and exits 0", async () => {
  const result = await runRewards(["--help"], "");
  assertEquals(result.code, 0);
  assertStringIncludes(result.stdout, "Usage: deno task rewards");
  assertStringIncludes(result.stdout, "--design mean|median|interval|preference|winrate");
  assertEquals(result.stderr, "");
});

const good = (pair: string, side: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    pair,
    side,
    strength: 2,
    text: "<critique>c</critique><score>5</score>",
    ...extra,
  });

Deno.test("bad input: exit 2, the message names the line and field or the pair, stdout stays empty", async () => {
  const cases: [string, string[], string, string][] = [
    ["bad JSON", [], [good("a", "chosen"), "{not json"].join("\n"), "stdin:2: invalid JSON"],
    ["not an object", [], "[1, 2]", "stdin:1: expected a JSON object"],
    [
      "missing text",
      [],
      JSON.stringify({ pair: "a", side: "chosen", strength: 2 }),
      'stdin:1: field "text"',
    ],
    ["pair not a string", [], good("a", "chosen", { pair: 7 }), 'stdin:1: field "pair"'],
    [
      "unknown side",
      [],
      good("a", "winner"),
      'stdin:1: field "side": expected "chosen" or "rejected", got "winner"',
    ],
    [
      "strength out of range",
      [],
      good("a", "chosen", { strength: 5 }),
      'stdin:1: field "strength"',
    ],
    [
      "strength as string",
      [],
      good("a", "chosen", { strength: "2" }),
      'field "strength": expected a number in [0, 3], got "2"',
    ],
    [
      "pair missing a side (after a valid pair: no partial output)",
      [],
      [good("ok", "chosen"), good("ok", "rejected"), good("solo", "chosen"), good("solo", "chosen")]
        .join("\n"),
      'pair "solo": no rejected rollouts (lines 3, 4)',
    ],
    [
      "strength disagrees within a pair",
      [],
      [good("p", "chosen"), good("p", "rejected", { strength: 3 })].join("\n"),
      'pair "p": strength differs: 2 on line 1, 3 on line 2',
    ],
    [
      "interval design with G = 1",
      ["--design", "interval"],
      [good("p", "chosen"), good("p", "rejected"), good("p", "rejected")].join("\n"),
      'pair "p": intervalReward: needs at least 2 scores per group',
    ],
    ["unknown flag", ["--foo", "1"], tiny, 'unknown flag "--foo"'],
    ["bad margin", ["--margin", "abc"], tiny, '--margin: expected a number or adaptive, got "abc"'],
    ["bad design", ["--design", "avg"], tiny, "--design: expected one of mean, median"],
    // --margin and --alpha take train's bounds (config/irpm_flags.ts).
    ["negative margin", ["--margin", "-1"], tiny, '--margin: expected a number >= 0, got "-1"'],
    ["hex margin", ["--margin", "0x1"], tiny, '--margin: expected a number or adaptive, got "0x1"'],
    ["alpha above 0.5", ["--alpha", "0.6"], tiny, '--alpha: expected a number <= 0.5, got "0.6"'],
    ["alpha 0", ["--alpha", "0"], tiny, '--alpha: expected a number >= 0.000001, got "0"'],
    ["alpha Infinity", ["--alpha", "Infinity"], tiny, '--alpha: expected a number, got "Infinity"'],
    [
      "strength 1e999 (read as Infinity, not reported as null)",
      [],
      good("a", "chosen").replace('"strength":2', '"strength":1e999'),
      'stdin:1: field "strength": expected a number in [0, 3], got Infinity',
    ],
    ["missing flag value", ["--design"], tiny, "--design: missing value"],
    ["stray argument", ["rollouts.jsonl"], tiny, 'unexpected argument "rollouts.jsonl"'],
  ];
  for (const [name, args, input, message] of cases) {
    const result = await runRewards(args, input);
    assertEquals(result.code, 2, name);
    assertEquals(result.stdout, "", name);
    assertStringIncludes(result.stderr, message, name);
  }
});

Deno.test("parseRewardsArgs: defaults and both flag spellings", () => {
  assertEquals(parseRewardsArgs([]), REWARDS_DEFAULTS);
  assertEquals(parseRewardsArgs(["--design", "winrate", "--margin=0.5", "--alpha", "0.1"]), {
    design: "winrate",
    margin: 0.5,
    alpha: 0.1,
    help: false,
  });
  assertEquals(parseRewardsArgs(["-h"]).help, true);
});

/** Runs the CLI with raw stdin bytes (the shared runner takes text, which is always valid UTF-8). */
async function runRewardsBytes(input: Uint8Array) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "cli/rewards.ts"],
    cwd: repoRoot.pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(input);
  await writer.close();
  const out = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("invalid UTF-8 on stdin: exit 2 naming the line, not two pair ids merged into one", async () => {
  // Pair ids "a\xff" and "a\xfe": a lenient decoder reads both as "a\uFFFD", one pair with both
  // sides, and would score it.
  const line = (id: number, side: string) => [
    ...new TextEncoder().encode('{"pair":"a'),
    id,
    ...new TextEncoder().encode(
      `","side":"${side}","strength":2,"text":"<critique>c</critique><score>5</score>"}\n`,
    ),
  ];
  const input = new Uint8Array([...line(0xff, "chosen"), ...line(0xfe, "rejected")]);
  const result = await runRewardsBytes(input);
  assertEquals([result.code, result.stdout], [2, ""]);
  assertEquals(result.stderr, "rewards: stdin:1: not valid UTF-8 (byte 0xff at column 11)\n");
  // The same through the pure entry point, and valid bytes still score.
  assertEquals(runRewardsCli([], input).stderr, result.stderr);
  const valid = runRewardsCli([], new TextEncoder().encode(tiny));
  assertEquals([valid.code, parseLines(valid.stdout).length], [0, 8]);
});

Deno.test("id passthrough: each line's id is echoed first; lines without one are unchanged", async () => {
  const sample = await Deno.readTextFile(new URL("data/samples/rollouts_sample.jsonl", repoRoot));
  const expected = await Deno.readTextFile(
    new URL("data/samples/rollouts_sample_expected.jsonl", repoRoot),
  );
  const lines = sample.trim().split("\n");
  // ids on every other line, strings and numbers; the rest keep the old output byte for byte
  const input = lines.map((line, i) =>
    i % 2 === 0 ? JSON.stringify({ id: i % 4 === 0 ? `roll-${i}` : i, ...JSON.parse(line) }) : line
  ).join("\n");
  const result = await runRewards([], input);
  assertEquals([result.code, result.stderr], [0, ""]);
  const out = result.stdout.trim().split("\n");
  const want = expected.trim().split("\n");
  out.forEach((line, i) => {
    if (i % 2 === 1) return assertEquals(line, want[i]);
    const id = JSON.stringify(i % 4 === 0 ? `roll-${i}` : i);
    assertEquals(line, `{"id":${id},${want[i].slice(1)}`);
  });
});

Deno.test("id passthrough: an id that is not a string or a number exits 2 naming the line", async () => {
  for (const id of ["null", "[1]", "true", "{}"]) {
    const input = `{"id":${id},"pair":"p","side":"chosen","strength":2,"text":"t"}`;
    const result = await runRewards([], input);
    assertEquals([result.code, result.stdout], [2, ""]);
    assertEquals(
      result.stderr,
      `rewards: stdin:1: field "id": expected a string or a number, got ${id}\n`,
    );
  }
});
