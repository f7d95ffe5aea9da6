/**
 * Run-directory safety, end to end (issue 9): run names are one folder, `--force` replaces only
 * what the kit made, a run directory is always resumable or cleanly restartable, and every
 * interruption (SIGINT or kill -9 before the first checkpoint, mid-run, a full or read-only disk)
 * either resumes to the same metrics as an uninterrupted run or says which command works.
 */
import { withoutTimings } from "../train/step.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { messageLines, runCli, TINY_TRAIN, withTempDir } from "./_cli.ts";

const root = new URL("..", import.meta.url).pathname;
const train = (args: string[], cwd?: string) => runCli("cli/train.ts", args, { cwd });

const TINY = [...TINY_TRAIN, "--warmup-steps", "1", "--lr", "1e-2"];

const inTemp = (fn: (dir: string) => Promise<void>) => withTempDir(fn, "irpm-safety-");

/** Every path under `dir` with its size and modification time: any change shows. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      const info = await Deno.lstat(p);
      out[p.slice(dir.length)] = `${
        e.isDirectory ? "d" : "f"
      } ${info.size} ${info.mtime?.getTime()}`;
      if (e.isDirectory) await walk(p);
    }
  };
  await walk(dir);
  return out;
}

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
}

/** metrics.jsonl without the wall-clock fields, to compare runs. */
async function metricsOf(dir: string): Promise<Record<string, unknown>[]> {
  return (await readLines(`${dir}/metrics.jsonl`)).filter((l) => l.kind !== "session").map(
    withoutTimings,
  );
}

Deno.test("train: --name must be one folder; --force never reaches outside the run dir", async () => {
  await inTemp(async (sandbox) => {
    // a project-like tree: a working file, a run dir with one finished kit run
    await Deno.mkdir(`${sandbox}/X/runs`, { recursive: true });
    await Deno.writeTextFile(`${sandbox}/X/precious.txt`, "keep me\n");
    await Deno.mkdir(`${sandbox}/work`);
    const kept = await train(
      [
        ...TINY,
        "--steps",
        "1",
        "--eval-every",
        "0",
        "--run-dir",
        `${sandbox}/X/runs`,
        "--name",
        "r",
      ],
    );
    assertEquals(kept.code, 0, kept.stderr);
    const before = await snapshot(sandbox);
    for (const name of ["..", "", "a/b", "../x", ".", "../../X"]) {
      for (const runDir of [`${sandbox}/X/runs`, "runs"]) {
        const out = await train(
          [...TINY, "--steps", "1", "--run-dir", runDir, "--name", name, "--force"],
          `${sandbox}/work`,
        );
        assertEquals(out.code, 2, `--name ${JSON.stringify(name)}: ${out.stderr}`);
        assertStringIncludes(out.stderr, `--name ${JSON.stringify(name)}`);
        assertEquals(messageLines(out.stderr).length, 1, out.stderr); // one line, no trace
      }
    }
    assertEquals(await snapshot(sandbox), before); // nothing created, changed or removed
  });
});

Deno.test("train: --force refuses a folder the kit did not make, and a file", async () => {
  await inTemp(async (dir) => {
    await Deno.mkdir(`${dir}/mine`);
    await Deno.writeTextFile(`${dir}/mine/notes.md`, "my notes\n");
    await Deno.writeTextFile(`${dir}/file`, "x");
    const before = await snapshot(dir);
    for (const name of ["mine", "file"]) {
      const out = await train([
        ...TINY,
        "--steps",
        "1",
        "--run-dir",
        dir,
        "--name",
        name,
        "--force",
      ]);
      assertEquals(out.code, 2, out.stderr);
      assertStringIncludes(out.stderr, `${dir}/${name}`);
    }
    assertEquals(await snapshot(dir), before);
  });
});

Deno.test("train: a bad --warm-start or bad data leaves no run directory behind", async () => {
  await inTemp(async (dir) => {
    const bad = await train([
      ...TINY,
      "--warm-start",
      `${dir}/nope`,
      "--run-dir",
      dir,
      "--name",
      "r",
    ]);
    assertEquals(bad.code, 2, bad.stderr);
    assertStringIncludes(bad.stderr, `--warm-start ${dir}/nope`);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), []); // not even a staging dir
    // the same command with a good warm-start now just works (no "use --resume")
    const good = await train([
      ...TINY,
      "--steps",
      "1",
      "--eval-every",
      "0",
      "--run-dir",
      dir,
      "--name",
      "r",
    ]);
    assertEquals(good.code, 0, good.stderr);
  });
});

Deno.test("train: leftovers of a start killed before its run directory existed are cleaned up", async () => {
  await inTemp(async (dir) => {
    // a kill -9 between creating the staging folder and renaming it into place
    const leftover = `${dir}/.r.partial-dead0000`;
    await Deno.mkdir(`${leftover}/eval`, { recursive: true });
    await Deno.writeTextFile(`${leftover}/.irpm-run.json`, '{"kit":"irpm-kit","kind":"train"}\n');
    await Deno.writeTextFile(`${leftover}/config.json`, '{"config": {"lr"');
    // a folder claimed by an older kit but never written (only the marker)
    await Deno.mkdir(`${dir}/s`);
    await Deno.writeTextFile(`${dir}/s/.irpm-run.json`, '{"kit":"irpm-kit","kind":"train"}\n');
    for (const name of ["r", "s"]) {
      const out = await train([
        ...TINY,
        "--steps",
        "1",
        "--eval-every",
        "0",
        "--run-dir",
        dir,
        "--name",
        name,
      ]);
      assertEquals(out.code, 0, out.stderr);
    }
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["r", "s"]);
  });
});

Deno.test("train --resume: a missing, foreign or finished run gets a one-line answer", async () => {
  await inTemp(async (dir) => {
    const nope = await train(["--resume", `${dir}/nope`]);
    assertEquals([nope.code, nope.stderr.trim()], [
      2,
      `train: --resume ${dir}/nope: no such run directory`,
    ]);
    await Deno.mkdir(`${dir}/mine`);
    await Deno.writeTextFile(`${dir}/mine/a.txt`, "x");
    const foreign = await train(["--resume", `${dir}/mine`]);
    assertEquals(foreign.code, 2);
    assertStringIncludes(foreign.stderr, "not a training run directory of the kit");
    const done = await train([
      ...TINY,
      "--steps",
      "2",
      "--eval-every",
      "0",
      "--run-dir",
      dir,
      "--name",
      "d",
    ]);
    assertEquals(done.code, 0, done.stderr);
    const again = await train(["--resume", `${dir}/d`]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "already finished all 2 steps; nothing to resume");
    assert(!again.stdout.includes("undefined"), again.stdout);
  });
});

Deno.test("train --resume: an edited config.json is refused, or allowed by a flag and logged", async () => {
  await inTemp(async (dir) => {
    const common = [...TINY, "--steps", "4", "--eval-every", "0", "--checkpoint-every", "2"];
    const first = await train([...common, "--run-dir", dir, "--name", "r", "--stop-after", "2"]);
    assertEquals(first.code, 0, first.stderr);
    const configPath = `${dir}/r/config.json`;
    const original = JSON.parse(await Deno.readTextFile(configPath));
    const edit = async (changes: Record<string, unknown>) =>
      await Deno.writeTextFile(
        configPath,
        JSON.stringify({ ...original, config: { ...original.config, ...changes } }),
      );
    await edit({ lr: 0.02 });
    const refused = await train(["--resume", `${dir}/r`]);
    assertEquals(refused.code, 2, refused.stderr);
    assertStringIncludes(refused.stderr, "lr 0.01 -> 0.02");
    assertStringIncludes(refused.stderr, `--resume ${dir}/r --allow-config-change`);
    await edit({ preset: "small" });
    const fixed = await train(["--resume", `${dir}/r`, "--allow-config-change"]);
    assertEquals(fixed.code, 2, fixed.stderr);
    assertStringIncludes(fixed.stderr, "preset cannot change in a running run");
    await edit({ lr: 0.02 });
    const allowed = await train(["--resume", `${dir}/r`, "--allow-config-change"]);
    assertEquals(allowed.code, 0, allowed.stderr);
    assertStringIncludes(allowed.stdout, "--allow-config-change: lr 0.01 -> 0.02 (logged)");
    const change = (await readLines(`${dir}/r/metrics.jsonl`)).find((l) =>
      l.kind === "config_change"
    );
    assertEquals(change, {
      kind: "config_change",
      step: 2,
      changes: { lr: { from: 0.01, to: 0.02 } },
    });
    // the checkpoint now records the new settings: resuming again is not a change
    const sidecar = JSON.parse(await Deno.readTextFile(`${dir}/r/checkpoint/checkpoint.json`));
    assertEquals(sidecar.config.train.lr, 0.02);
  });
});

Deno.test("train --config <run>/config.json --force starts a run again with its settings", async () => {
  await inTemp(async (dir) => {
    const args = [...TINY, "--steps", "2", "--eval-every", "0", "--run-dir", dir, "--name", "r"];
    const first = await train(args);
    assertEquals(first.code, 0, first.stderr);
    const before = await metricsOf(`${dir}/r`);
    const again = await train(["--config", `${dir}/r/config.json`, "--force"]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(await metricsOf(`${dir}/r`), before); // same run, deterministic on wasm
  });
});

/** Starts `deno run -A cli/train.ts args` and returns the child with its output streams. */
function spawnTrain(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/train.ts", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** Polls until `check` holds (every 20 ms, at most `seconds`: generous, CI machines vary). */
async function until(check: () => Promise<boolean>, seconds = 180): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting for the child");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const trainLines = async (path: string) => {
  try {
    return (await Deno.readTextFile(path)).split("\n").filter((l) => l.includes('"train"')).length;
  } catch {
    return 0;
  }
};

Deno.test("train: SIGINT or kill -9 at any point resumes to the metrics of an uninterrupted run", async () => {
  await inTemp(async (dir) => {
    const common = [
      ...TINY,
      "--steps",
      "8",
      "--eval-every",
      "4",
      "--sample-every",
      "2",
      "--run-dir",
      dir,
    ];
    const straight = await train([...common, "--checkpoint-every", "3", "--name", "straight"]);
    assertEquals(straight.code, 0, straight.stderr);
    const reference = await metricsOf(`${dir}/straight`);

    // 1. SIGINT before the first checkpoint: the message names a command that works
    const noCkpt = [...common, "--checkpoint-every", "3", "--name", "early"];
    const early = spawnTrain(noCkpt);
    await until(async () => (await trainLines(`${dir}/early/metrics.jsonl`)) >= 1);
    early.kill("SIGINT");
    const interrupted = await early.output();
    const said = new TextDecoder().decode(interrupted.stdout);
    assertEquals(interrupted.code, 130);
    if (said.includes("no checkpoint yet")) {
      assertStringIncludes(said, `deno task train --resume ${dir}/early`);
    } else {
      assertMatch(said, /last complete checkpoint is step \d+/); // the step-3 one came first
    }
    const resumedEarly = await train(["--resume", `${dir}/early`]);
    assertEquals(resumedEarly.code, 0, resumedEarly.stderr);
    assertEquals(await metricsOf(`${dir}/early`), reference);

    // 2. kill -9 at several moments: mid-step, around checkpoints and reports, mid-eval
    for (const [i, after] of [1, 3, 4, 6].entries()) {
      const name = `kill${i}`;
      const child = spawnTrain([...common, "--checkpoint-every", "3", "--name", name]);
      await until(async () => (await trainLines(`${dir}/${name}/metrics.jsonl`)) >= after);
      await new Promise((r) => setTimeout(r, 7 * i)); // land in different places of the step
      child.kill("SIGKILL");
      await child.output();
      const resumed = await train(["--resume", `${dir}/${name}`]);
      assertEquals(resumed.code, 0, `${name}: ${resumed.stderr}`);
      assertEquals(await metricsOf(`${dir}/${name}`), reference, name);
      const samples = (a: string) => Deno.readTextFile(`${dir}/${a}/samples.jsonl`);
      assertEquals(await samples(name), await samples("straight"), name);
    }
  });
});

/** Whether this machine lets a test mount a private tmpfs (root in a mount namespace). */
async function canMountTmpfs(): Promise<boolean> {
  try {
    const probe = await new Deno.Command("unshare", {
      args: [
        "-m",
        "sh",
        "-c",
        "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d",
      ],
      stdout: "null",
      stderr: "null",
    }).output();
    return probe.success;
  } catch {
    return false;
  }
}

const mountable = await canMountTmpfs();

Deno.test({
  name: "train: a full disk or a read-only run dir stops with one message; the checkpoint survives",
  ignore: !mountable,
  async fn() {
    await inTemp(async (dir) => {
      const deno = Deno.execPath();
      const common = [...TINY, "--steps", "6", "--eval-every", "0", "--checkpoint-every", "2"];
      const straight = await train([...common, "--run-dir", dir, "--name", "straight"]);
      assertEquals(straight.code, 0, straight.stderr);
      const quoted = (args: string[]) => args.map((a) => `'${a}'`).join(" ");
      const script = [
        `set -u; cd '${root}'; m='${dir}/m'; mkdir -p "$m"`,
        // 1. a tmpfs big enough for the start and the first checkpoint, not for report.html
        `mount -t tmpfs -o size=3m tmpfs "$m"`,
        `'${deno}' run -A cli/train.ts ${
          quoted([...common, "--run-dir", `${dir}/m`, "--name", "full"])
        }`,
        `echo "full-exit=$?"`,
        // free space, resume
        `mount -o remount,size=64m "$m"`,
        `'${deno}' run -A cli/train.ts --resume "$m/full" > /dev/null; echo "resume-exit=$?"`,
        `cp "$m/full/metrics.jsonl" '${dir}/full-metrics.jsonl'`,
        // 2. the file system turns read-only after the first checkpoint
        `'${deno}' run -A cli/train.ts ${
          quoted([...common, "--steps", "400", "--run-dir", `${dir}/m`, "--name", "ro"])
        } & pid=$!`,
        `while [ ! -f "$m/ro/checkpoint/checkpoint.json" ]; do sleep 0.05; done`,
        `mount -o remount,ro "$m"; wait $pid; echo "ro-exit=$?"`,
        `mount -o remount,rw "$m"; cat "$m/ro/checkpoint/checkpoint.json" | grep '"step"'`,
      ].join("\n");
      const out = await new Deno.Command("unshare", {
        args: ["-m", "sh", "-c", script],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assertStringIncludes(text, "full-exit=2");
      assertMatch(text, /train: cannot write .*\/full\/report\.html: No space left on device/);
      assertMatch(
        text,
        /nothing of the run was lost: the last complete checkpoint is step 2 in .*full\/checkpoint; continue with: deno task train --resume .*full once the problem is fixed/,
      );
      assertStringIncludes(text, "resume-exit=0");
      const strip = withoutTimings;
      assertEquals(
        (await readLines(`${dir}/full-metrics.jsonl`)).filter((l) => l.kind !== "session").map(
          strip,
        ),
        await metricsOf(`${dir}/straight`),
      );
      assertStringIncludes(text, "ro-exit=2");
      assertMatch(text, /train: cannot write .*\/ro\/.*Read-only file system/);
      assertMatch(text, /the last complete checkpoint is step \d+ in .*ro\/checkpoint/);
      assert(!text.includes("    at "), text); // no stack trace
    });
  },
});
