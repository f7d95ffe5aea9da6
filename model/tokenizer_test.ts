import { assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  BOS_ID,
  CRITIQUE_CLOSE_ID,
  CRITIQUE_OPEN_ID,
  decode,
  encode,
  EOS_ID,
  NEWLINE_ID,
  PAD_ID,
  SCORE_CLOSE_ID,
  SCORE_OPEN_ID,
  tokenName,
  UNK_ID,
  UNK_TEXT,
  VOCAB_SIZE,
} from "./tokenizer.ts";

const PARSER = /<critique>\s*(.*?)\s*<\/critique>\s*<score>\s*(\d+(?:\.\d+)?)\s*<\/score>/s;

Deno.test("vocabulary: 4 special + 4 tags + newline + 95 printable = 104 distinct ids", () => {
  assertEquals(VOCAB_SIZE, 104);
  const all = Array.from({ length: VOCAB_SIZE }, (_, id) => id);
  const printable = all.slice(9).map((id) => decode([id]));
  assertEquals(
    printable.join(""),
    Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join(""),
  );
  assertEquals(new Set(all.slice(3).map((id) => decode([id]))).size, VOCAB_SIZE - 3);
});

Deno.test("every printable ASCII string and newline round-trips exactly", () => {
  let text = "\n";
  for (let code = 32; code <= 126; code++) text += String.fromCharCode(code);
  assertEquals(decode(encode(text)), text);
  assertEquals(encode(text).length, text.length);
});

Deno.test("tags are single tokens and the decoded output satisfies the IRPM parser", () => {
  const text = "Prompt: 2+2?\n<critique> says 4, correct.\n</critique>\n<score>8.5</score> tail";
  const ids = encode(text);
  assertEquals(ids.filter((id) => id === CRITIQUE_OPEN_ID).length, 1);
  assertEquals(ids.filter((id) => id === CRITIQUE_CLOSE_ID).length, 1);
  assertEquals(ids.filter((id) => id === SCORE_OPEN_ID).length, 1);
  assertEquals(ids.filter((id) => id === SCORE_CLOSE_ID).length, 1);
  const decoded = decode(ids);
  assertEquals(decoded, text);
  const match = decoded.match(PARSER);
  assertEquals(match?.[1], "says 4, correct.");
  assertEquals(match?.[2], "8.5");
});

Deno.test("tags are matched greedily; a lone '<' or broken tag stays characters", () => {
  assertEquals(encode("<score>"), [SCORE_OPEN_ID]);
  assertEquals(encode("</score>"), [SCORE_CLOSE_ID]);
  assertEquals(encode("<scor>").length, 6);
  assertEquals(encode("<<score>>"), [...encode("<"), SCORE_OPEN_ID, ...encode(">")]);
  assertEquals(encode("\n"), [NEWLINE_ID]);
});

Deno.test("unknown characters become one UNK each and decode to U+FFFD", () => {
  assertEquals(encode("a\tb"), [...encode("a"), UNK_ID, ...encode("b")]);
  assertEquals(encode("é😀"), [UNK_ID, UNK_ID]); // one per code point, not per UTF-16 unit
  assertEquals(decode(encode("x\ry")), `x${UNK_TEXT}y`);
  assertMatch(decode([UNK_ID]), /\uFFFD/);
});

Deno.test("special tokens decode to nothing; bad ids throw RangeError naming the id", () => {
  assertEquals(decode([BOS_ID, ...encode("ok"), EOS_ID, PAD_ID]), "ok");
  assertThrows(() => decode([VOCAB_SIZE]), RangeError, "104");
  assertThrows(() => decode([1.5]), RangeError, "1.5");
  assertEquals(tokenName(PAD_ID), "<pad>");
  assertEquals(tokenName(SCORE_CLOSE_ID), "</score>");
});
