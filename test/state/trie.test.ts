import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "../../src/primitives/hex.ts";
import { keccak256 } from "../../src/primitives/keccak.ts";
import { hexPrefix, secureTrieRoot, trieRoot } from "../../src/state/trie.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
/** ethereum/tests TrieTests convention: `0x…` is hex, anything else is UTF-8; null deletes. */
const bytesOf = (s: string | null) => (s === null ? new Uint8Array(0) : s.startsWith("0x") ? hexToBytes(s) : utf8(s));
const root = (pairs: [string, string | null][]) => bytesToHex(trieRoot(pairs.map(([k, v]) => [bytesOf(k), bytesOf(v)])));

describe("hexPrefix", () => {
  it("encodes the yellow-paper examples", () => {
    expect(bytesToHex(hexPrefix(Uint8Array.of(1, 2, 3, 4, 5), false))).toBe("0x112345");
    expect(bytesToHex(hexPrefix(Uint8Array.of(0, 1, 2, 3, 4, 5), false))).toBe("0x00012345");
    expect(bytesToHex(hexPrefix(Uint8Array.of(0, 15, 1, 12, 11, 8), true))).toBe("0x200f1cb8");
    expect(bytesToHex(hexPrefix(Uint8Array.of(15, 1, 12, 11, 8), true))).toBe("0x3f1cb8");
  });
});

describe("trieRoot", () => {
  it("of nothing is keccak256(rlp(''))", () => {
    expect(bytesToHex(trieRoot([]))).toBe("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  });

  it("hashes a lone short leaf even though it would be inlined as a child", () => {
    const leaf = Uint8Array.of(0xc4, 0x82, 0x20, 0x41, 0x42); // [hp("A", leaf), "B"]
    expect(trieRoot([[utf8("A"), utf8("B")]])).toEqual(keccak256(leaf));
  });

  it("doe / dog / dogglesworth", () => {
    expect(root([["doe", "reindeer"], ["dog", "puppy"], ["dogglesworth", "cat"]])).toBe(
      "0x8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3",
    );
  });

  it("emptyValues (ethereum/tests): later puts win and empty values delete", () => {
    const pairs: [string, string | null][] = [
      ["do", "verb"], ["ether", "wookiedoo"], ["horse", "stallion"], ["shaman", "horse"],
      ["doge", "coin"], ["ether", null], ["dog", "puppy"], ["shaman", null],
    ];
    expect(root(pairs)).toBe("0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84");
    // Insertion order does not matter.
    expect(root([["dog", "puppy"], ["horse", "stallion"], ["doge", "coin"], ["do", "verb"]])).toBe(
      "0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84",
    );
  });

  it("jeff (ethereum/tests): 32-byte keys with an extension and short values", () => {
    const pairs: [string, string | null][] = [
      ["0x0000000000000000000000000000000000000000000000000000000000000045", "0x22b224a1420a802ab51d326e29fa98e34c4f24ea"],
      ["0x0000000000000000000000000000000000000000000000000000000000000046", "0x67706c2076330000000000000000000000000000000000000000000000000000"],
      ["0x0000000000000000000000000000000000000000000000000000001234567890", "0x697c7b8c961b56f675d570498424ac8de1a918f6"],
      ["0x000000000000000000000000697c7b8c961b56f675d570498424ac8de1a918f6", "0x1234567890"],
      ["0x0000000000000000000000007ef9e639e2733cb34e4dfc576d4b23f72db776b2", "0x4655474156000000000000000000000000000000000000000000000000000000"],
      ["0x000000000000000000000000ec4f34c97e43fbb2816cfd95e388353c7181dab1", "0x4e616d6552656700000000000000000000000000000000000000000000000000"],
      ["0x4655474156000000000000000000000000000000000000000000000000000000", "0x7ef9e639e2733cb34e4dfc576d4b23f72db776b2"],
      ["0x4e616d6552656700000000000000000000000000000000000000000000000000", "0xec4f34c97e43fbb2816cfd95e388353c7181dab1"],
      ["0x0000000000000000000000000000000000000000000000000000001234567890", null],
      ["0x000000000000000000000000697c7b8c961b56f675d570498424ac8de1a918f6", "0x6f6f6f6820736f2067726561742c207265616c6c6c793f000000000000000000"],
      ["0x6f6f6f6820736f2067726561742c207265616c6c6c793f000000000000000000", "0x697c7b8c961b56f675d570498424ac8de1a918f6"],
    ];
    expect(root(pairs)).toBe("0x9f6221ebb8efe7cff60a716ecb886e67dd042014be444669f0159d8e68b42100");
  });

  it("insert-middle-leaf (ethereum/tests): keys that are prefixes of others become branch values", () => {
    const pairs: [string, string | null][] = [
      ["key1aa", "0123456789012345678901234567890123456789xxx"],
      ["key1", "0123456789012345678901234567890123456789Very_Long"],
      ["key2bb", "aval3"],
      ["key2", "short"],
      ["key3cc", "aval3"],
      ["key3", "1234567890123456789012345678901"],
    ];
    expect(root(pairs)).toBe("0xcb65032e2f76c48b82b5c24b3db8f670ce73982869d38cd39a624f23d62a9e89");
  });

  it("branchingTests (ethereum/tests): everything deleted is the empty root", () => {
    const keys = ["0x04110d816c380812a427968ece99b1c963dfbce6", "0x095e7baea6a6c7c4c2dfeb977efac326af552d87", "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"];
    const pairs: [string, string | null][] = [...keys.map((k): [string, string] => [k, "something"]), ...keys.map((k): [string, null] => [k, null])];
    expect(root(pairs)).toBe("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  });

  it("handles tens of thousands of leaves quickly", () => {
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 30_000; i++) entries.push([keccak256(Uint8Array.of(i >> 8, i & 255, 1)), Uint8Array.of(1, i & 255)]);
    const t0 = performance.now();
    const a = trieRoot(entries);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(trieRoot(entries.reverse())).toEqual(a);
  });
});

describe("secureTrieRoot", () => {
  it("test1 of hex_encoded_securetrie_test (ethereum/tests): a small account trie", () => {
    const data: [string, string][] = [
      ["0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b", "0xf848018405f446a7a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"],
      ["0x095e7baea6a6c7c4c2dfeb977efac326af552d87", "0xf8440101a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a004bccc5d94f4d1f99aab44369a910179931772f2a5c001c3229f57831c102769"],
      ["0xd2571607e241ecf590ed94b12d87c94babe36db6", "0xf8440180a0ba4b47865c55a341a4a78759bb913cd15c3ee8eaf30a62fa8d1c8863113d84e8a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"],
      ["0x62c01474f089b07dae603491675dc5b5748f7049", "0xf8448080a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"],
      ["0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba", "0xf8478083019a59a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"],
    ];
    expect(bytesToHex(secureTrieRoot(data.map(([k, v]) => [hexToBytes(k), hexToBytes(v)])))).toBe(
      "0x730a444e08ab4b8dee147c9b232fc52d34a223d600031c1e9d25bfc985cbd797",
    );
  });
});
