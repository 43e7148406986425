import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectFixtureFiles } from "../../src/cli/statetest/files.ts";
import type { StateTestFile } from "../../src/cli/statetest/fixture.ts";
import { buildPreState } from "../../src/cli/statetest/parse.ts";
import { hexToBytes } from "../../src/primitives/hex.ts";
import { EMPTY_TRIE_ROOT, keccak256Hex } from "../../src/primitives/keccak.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { logsHash, stateRoot } from "../../src/state/state-root.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/statetests", import.meta.url));

/**
 * Real vectors without running the EVM: a rejected transaction leaves the pre-state, so its post
 * hash is the pre-state root; newer fixtures also spell out the post state the hash commits to.
 */
function vectors(): { name: string; alloc: StateTestFile[string]["pre"]; hash: string }[] {
  const out: { name: string; alloc: StateTestFile[string]["pre"]; hash: string }[] = [];
  for (const f of collectFixtureFiles([FIXTURES])) {
    const file = JSON.parse(readFileSync(f.path, "utf8")) as StateTestFile;
    for (const [test, t] of Object.entries(file)) {
      for (const [fork, entries] of Object.entries(t.post)) {
        for (const e of entries) {
          const i = `${f.rel} ${test.slice(-60)} ${fork} d=${e.indexes.data} g=${e.indexes.gas} v=${e.indexes.value}`;
          if (e.expectException !== undefined) out.push({ name: `pre ${i}`, alloc: t.pre, hash: e.hash });
          if (e.state !== undefined) out.push({ name: `post ${i}`, alloc: e.state, hash: e.hash });
        }
      }
    }
  }
  return out;
}

describe("stateRoot", () => {
  it("of an empty state is the empty trie root", () => {
    expect(stateRoot(new MemoryState())).toBe(EMPTY_TRIE_ROOT);
  });

  it("matches the fixtures' roots of pre-states (rejected txs) and spelled-out post states", () => {
    const all = vectors();
    expect(all.filter((v) => v.name.startsWith("pre")).length).toBeGreaterThan(10);
    expect(all.filter((v) => v.name.startsWith("post")).length).toBeGreaterThan(10);
    const wrong = all.filter((v) => stateRoot(buildPreState(v.alloc)) !== v.hash).map((v) => v.name);
    expect(wrong).toEqual([]);
  });

  it("leaves zero storage slots out of the storage trie", () => {
    const a = new MemoryState();
    const b = new MemoryState();
    a.setAccount("0x1000000000000000000000000000000000000001", { balance: 5n, storage: new Map([[1n, 7n]]) });
    b.setAccount("0x1000000000000000000000000000000000000001", { balance: 5n, storage: new Map([[1n, 7n]]) });
    b.accounts.get("0x1000000000000000000000000000000000000001")!.storage.set(2n, 0n);
    expect(stateRoot(b)).toBe(stateRoot(a));
  });

  it("counts an empty account as present (it is part of the trie until something deletes it)", () => {
    const s = new MemoryState();
    s.setAccount("0x1000000000000000000000000000000000000001", {});
    expect(stateRoot(s)).not.toBe(EMPTY_TRIE_ROOT);
  });
});

describe("logsHash", () => {
  it("of no logs is keccak256(rlp([]))", () => {
    expect(logsHash([])).toBe("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
  });

  it("hashes rlp([[address, [topics], data]])", () => {
    const log = { address: `0x${"11".repeat(20)}` as const, topics: [`0x${"22".repeat(32)}` as const], data: Uint8Array.of(0x33) };
    // [ [ 20-byte string, [ 32-byte string ], single byte ] ]: 21 + 34 + 1 = 56 bytes, so long-form list headers.
    const rlp = `0xf83af83894${"11".repeat(20)}e1a0${"22".repeat(32)}33`;
    expect(logsHash([log])).toBe(keccak256Hex(hexToBytes(rlp)));
  });
});
