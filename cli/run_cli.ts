/**
 * The shared tail of every CLI: run `main`, exit with its status, and turn bad input (flags, data
 * files, checkpoints, run directories, output paths, a backend that is not installed) into one
 * clear message and exit status 2 instead of a stack trace; a training run that diverged prints its
 * message and exits 1.
 *
 * @module
 */
import { DataError } from "../data/jsonl.ts";
import { CheckpointError } from "../checkpoint/safetensors.ts";
import { UsageError } from "../config/flags.ts";
import { RunDirError, RunWriteError } from "../train/run_dir.ts";
import { BackendError } from "../model/backend.ts";
import { OutputError } from "./output_file.ts";
import { TrainingDivergedError } from "../train/divergence.ts";

/** True for the errors that mean "the input was bad", which exit with status 2. */
export function isInputError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof DataError ||
    error instanceof CheckpointError || error instanceof RunDirError ||
    error instanceof RunWriteError || error instanceof BackendError || error instanceof OutputError;
}

/** Runs a CLI's `main(argv)` and exits; bad input prints `<name>: <message>` and exits 2. */
export async function runCli(name: string, main: (argv: string[]) => Promise<number>) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (isInputError(error)) {
      console.error(`${name}: ${error.message}`);
      Deno.exit(2);
    }
    if (error instanceof TrainingDivergedError) {
      // not bad input, but not a bug either: the run's numbers blew up; the message says which
      console.error(`${name}: ${error.message}`);
      Deno.exit(1);
    }
    throw error;
  }
}
