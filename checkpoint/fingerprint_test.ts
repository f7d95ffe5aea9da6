import { assertEquals, assertNotEquals, assertRejects, assertThrows } from "@std/assert";
import { canonicalJson, datasetFingerprint, sha256Hex } from "./fingerprint.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("sha256Hex: FIPS 180-2 test vectors", async () => {
  assertEquals(
    await sha256Hex(utf8("")),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assertEquals(
    await sha256Hex(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  // a view into a larger buffer hashes only its own bytes
  assertEquals(await sha256Hex(utf8("xabcx").subarray(1, 4)), await sha256Hex(utf8("abc")));
});

Deno.test("canonicalJson: sorted keys (UTF-16 order), no spaces, JSON.stringify numbers", () => {
  const value = {
    z: [3, { b: 2, a: 1 }],
    "\uFF01": 1, // UTF-16 FF01
    "\u{1F600}": 2, // UTF-16 D83D DE00: sorts before FF01
    a: { skipped: undefined, s: "tab\there \u0001", n: -0, big: 1e21, tiny: 5e-324 },
  };
  assertEquals(
    canonicalJson(value),
    '{"a":{"big":1e+21,"n":0,"s":"tab\\there \\u0001","tiny":5e-324},' +
      '"z":[3,{"a":1,"b":2}],"\u{1F600}":2,"\uFF01":1}',
  );
  assertEquals(
    canonicalJson(Object.assign(Object.create(null), { b: 1, a: null })),
    '{"a":null,"b":1}',
  );
  assertEquals(canonicalJson([]), "[]");
});

Deno.test("canonicalJson: values JSON cannot carry faithfully are TypeErrors naming their path", () => {
  const cases: [unknown, string][] = [
    [{ a: [1, NaN] }, "$.a[1] is NaN"],
    [{ a: { b: -Infinity } }, "$.a.b is -Infinity"],
    [[1, undefined], "$[1] is a undefined"],
    [[1, , 3], "$[1] is a undefined"], // a hole in a sparse array
    [{ n: 10n }, "$.n is a bigint"],
    [{ f: () => 1 }, "$.f is a function"],
    [{ when: new Date(0) }, "$.when is a Date"],
    [{ w: new Float32Array(2) }, "$.w is a Float32Array"],
    [{ m: new Map() }, "$.m is a Map"],
  ];
  for (const [value, message] of cases) {
    assertThrows(() => canonicalJson(value), TypeError, message);
  }
});

Deno.test("datasetFingerprint: golden hashes from Python hashlib; order and content matter", async () => {
  // python3: json.dumps(items, separators=(",", ":"), sort_keys=True) then hashlib.sha256
  const golden = "b3d3e555d481ecbc1f220f57b8c667112acc2e8693bd5f92ad99fbef4dca9247";
  const item = { prompt: "p", chosen: "c", rejected: "r" };
  assertEquals(await datasetFingerprint([item]), golden);
  assertEquals(await datasetFingerprint([{ rejected: "r", prompt: "p", chosen: "c" }]), golden);
  // a string is hashed as its UTF-8 bytes: python3 hashlib.sha256("naïve ✓\n".encode())
  assertEquals(
    await datasetFingerprint("naïve ✓\n"),
    "e762d3267e8a7f12d4b309e285faa408eab72ac987d01b81171d29fae1551335",
  );
  const a = { ...item, prompt: "a" }, b = { ...item, prompt: "b" };
  assertNotEquals(await datasetFingerprint([a, b]), await datasetFingerprint([b, a]));
  assertNotEquals(await datasetFingerprint([a]), await datasetFingerprint([a, a]));
  await assertRejects(() => datasetFingerprint({ items: [] } as never), TypeError, "got object");
  await assertRejects(() => datasetFingerprint([{ score: NaN }]), TypeError, "$[0].score is NaN");
});
