/**
 * Shape checks shared by the GRPO tensor functions (private to `grpo/`).
 *
 * @module
 */
import type { Tensor } from "@tensorflow/tfjs-core";

/** Throws a RangeError unless `t` is a rank-2 tensor ([B, T]). */
export function checkRank2(t: Tensor, where: string): void {
  if (t.rank !== 2) {
    throw new RangeError(`${where} must be a [B, T] tensor, got shape [${t.shape.join(", ")}]`);
  }
}

/** Throws a RangeError unless `a` and `b` have the same shape. */
export function checkSameShape(a: Tensor, b: Tensor, whereA: string, whereB: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(
      `${whereB} shape [${b.shape.join(", ")}] must equal ${whereA} shape [${a.shape.join(", ")}]`,
    );
  }
}

/** Throws a RangeError unless `adv` is a [B] tensor matching the rows of `mat` ([B, T]). */
export function checkPerRow(mat: Tensor, adv: Tensor, where: string): void {
  if (adv.rank !== 1 || adv.shape[0] !== mat.shape[0]) {
    throw new RangeError(
      `${where} must be a [B] tensor with B = ${mat.shape[0]}, got shape [${adv.shape.join(", ")}]`,
    );
  }
}
