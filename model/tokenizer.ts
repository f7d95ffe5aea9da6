/**
 * Character-level tokenizer for the GRM.
 *
 * Vocabulary (104 ids):
 * | ids | tokens |
 * |---|---|
 * | 0..3 | PAD, BOS, EOS, UNK (special, decode to "" except UNK) |
 * | 4..7 | `<critique>`, `</critique>`, `<score>`, `</score>` (one token per tag) |
 * | 8 | `"\n"` |
 * | 9..103 | printable ASCII, char codes 32..126 |
 *
 * Any other character (tab, `\r`, non-ASCII) encodes to UNK, which decodes to U+FFFD ("\uFFFD"),
 * so `decode(encode(text)) === text` exactly when `text` uses only the alphabet above.
 * The tags are single tokens so the model can emit the output format in four decisions and the
 * sampler can stop on the `</score>` id.
 *
 * @module
 */

/** Padding id; masked out of attention and losses. */
export const PAD_ID = 0;
/** Beginning-of-sequence id; put in front of every prompt. */
export const BOS_ID = 1;
/** End-of-sequence id. */
export const EOS_ID = 2;
/** Id of any character outside the alphabet. */
export const UNK_ID = 3;
/** Id of `<critique>`. */
export const CRITIQUE_OPEN_ID = 4;
/** Id of `</critique>`. */
export const CRITIQUE_CLOSE_ID = 5;
/** Id of `<score>`. */
export const SCORE_OPEN_ID = 6;
/** Id of `</score>`; generation stops after it. */
export const SCORE_CLOSE_ID = 7;
/** Id of `"\n"`. */
export const NEWLINE_ID = 8;
const FIRST_PRINTABLE_ID = 9;
const FIRST_PRINTABLE_CODE = 32;
const LAST_PRINTABLE_CODE = 126;

/** Number of token ids: 4 special + 4 tags + newline + 95 printable = 104. */
export const VOCAB_SIZE = FIRST_PRINTABLE_ID + LAST_PRINTABLE_CODE - FIRST_PRINTABLE_CODE + 1;

/** Text written for UNK by {@link decode}. */
export const UNK_TEXT = "\uFFFD";

const TAGS: readonly (readonly [string, number])[] = [
  ["<critique>", CRITIQUE_OPEN_ID],
  ["</critique>", CRITIQUE_CLOSE_ID],
  ["<score>", SCORE_OPEN_ID],
  ["</score>", SCORE_CLOSE_ID],
];

const ID_TEXT: readonly string[] = (() => {
  const table = ["", "", "", UNK_TEXT, ...TAGS.map(([tag]) => tag), "\n"];
  for (let code = FIRST_PRINTABLE_CODE; code <= LAST_PRINTABLE_CODE; code++) {
    table.push(String.fromCharCode(code));
  }
  return table;
})();

function charId(code: number): number {
  if (code === 10) return NEWLINE_ID;
  if (code >= FIRST_PRINTABLE_CODE && code <= LAST_PRINTABLE_CODE) {
    return FIRST_PRINTABLE_ID + code - FIRST_PRINTABLE_CODE;
  }
  return UNK_ID;
}

/**
 * Encodes text to ids: the four tag strings become single tokens (matched greedily left to right),
 * every other character one token. No BOS/EOS is added.
 *
 * @example
 * ```ts
 * import { encode, SCORE_OPEN_ID, SCORE_CLOSE_ID, UNK_ID } from "./tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * // "A" is code 65 -> 9 + 65 - 32 = 42; "\t" is outside the alphabet.
 * assertEquals(encode("<score>A</score>\t"), [SCORE_OPEN_ID, 42, SCORE_CLOSE_ID, UNK_ID]);
 * ```
 */
export function encode(text: string): number[] {
  const ids: number[] = [];
  let i = 0;
  outer: while (i < text.length) {
    if (text.charCodeAt(i) === 60) { // "<": try the tags
      for (const [tag, id] of TAGS) {
        if (text.startsWith(tag, i)) {
          ids.push(id);
          i += tag.length;
          continue outer;
        }
      }
    }
    const code = text.codePointAt(i)!;
    ids.push(charId(code));
    i += code > 0xffff ? 2 : 1; // one UNK per astral character, not per UTF-16 half
  }
  return ids;
}

/**
 * Decodes ids to text. PAD, BOS and EOS write nothing; UNK writes U+FFFD.
 *
 * @example
 * ```ts
 * import { decode, encode } from "./tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * const text = "<critique>ok\n</critique><score>7.5</score>";
 * assertEquals(decode(encode(text)), text);
 * ```
 */
export function decode(ids: ArrayLike<number>): string {
  let text = "";
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= VOCAB_SIZE) {
      throw new RangeError(`token id must be an integer in [0, ${VOCAB_SIZE}), got ${id}`);
    }
    text += ID_TEXT[id];
  }
  return text;
}

/**
 * Readable name of one id for debugging: specials as `<pad>`, `<bos>`, `<eos>`, `<unk>`.
 *
 * @example
 * ```ts
 * import { tokenName, BOS_ID } from "./tokenizer.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(tokenName(BOS_ID), "<bos>");
 * ```
 */
export function tokenName(id: number): string {
  const special = ["<pad>", "<bos>", "<eos>", "<unk>"][id];
  return special ?? decode([id]);
}
