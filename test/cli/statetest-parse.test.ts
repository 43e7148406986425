import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectFixtureFiles } from "../../src/cli/statetest/files.ts";
import type { FixtureTransaction, StateTest, StateTestFile } from "../../src/cli/statetest/fixture.ts";
import { buildBlock, buildPreState, buildTx, chainIdOf, stateTestBlockHash, TxFieldError } from "../../src/cli/statetest/parse.ts";
import { bytesToBigInt } from "../../src/primitives/bytes.ts";
import { bytesToHex, hexToBytes } from "../../src/primitives/hex.ts";
import { keccak256 } from "../../src/primitives/keccak.ts";
import { rlpDecode, type RlpItem } from "../../src/primitives/rlp.ts";
import type { Tx } from "../../src/evm/types.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/statetests", import.meta.url));
const SENDER = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b";
const KEY = "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8";

const base: FixtureTransaction = {
  data: ["0x", "0x6001"],
  gasLimit: ["0x5208", "0x0186a0"],
  value: ["0x00", "0x0de0b6b3a7640000"],
  nonce: "0x01",
  to: "0x095E7BAEA6A6C7C4C2DFEB977EFAC326AF552D87",
  sender: SENDER,
  gasPrice: "0x0a",
};
const at = (data: number, gas = 0, value = 0) => ({ data, gas, value });

describe("buildTx", () => {
  it("picks data, gas and value by index and lowercases addresses", () => {
    const tx = buildTx(base, at(1, 1, 1), 1n);
    expect(tx).toMatchObject({ type: 0, from: SENDER, to: "0x095e7baea6a6c7c4c2dfeb977efac326af552d87", nonce: 1n, gasLimit: 100_000n, gasPrice: 10n, value: 10n ** 18n });
    expect(bytesToHex(tx.data)).toBe("0x6001");
    expect(tx.chainId).toBeUndefined();
  });

  it("creates when `to` is empty", () => {
    expect(buildTx({ ...base, to: "" }, at(0), 1n).to).toBeNull();
  });

  it("derives the sender from the secret key when none is given", () => {
    const { sender: _, ...noSender } = base;
    expect(buildTx({ ...noSender, secretKey: KEY }, at(0), 1n).from).toBe(SENDER);
  });

  it("is type 1 only for data indexes with a non-null access list", () => {
    const t = { ...base, accessLists: [null, [{ address: "0x00000000000000000000000000000000000000AA", storageKeys: ["0x01", "0x00"] }]] };
    expect(buildTx(t, at(0), 1n).type).toBe(0);
    const tx = buildTx(t, at(1), 5n);
    expect(tx.type).toBe(1);
    expect(tx.chainId).toBe(5n);
    expect(tx.accessList).toEqual([{ address: "0x00000000000000000000000000000000000000aa", storageKeys: [1n, 0n] }]);
    expect(buildTx({ ...base, accessLists: [[], []] }, at(0), 1n).type).toBe(1);
  });

  it("is type 2 with fee caps, type 3 with blob hashes, type 4 with authorizations", () => {
    const { gasPrice: _, ...noPrice } = base;
    const eip1559 = { ...noPrice, maxFeePerGas: "0x10", maxPriorityFeePerGas: "0x02" };
    expect(buildTx(eip1559, at(0), 1n)).toMatchObject({ type: 2, maxFeePerGas: 16n, maxPriorityFeePerGas: 2n });
    const blob = buildTx({ ...eip1559, blobVersionedHashes: [`0x01${"00".repeat(31)}`], maxFeePerBlobGas: "0x64" }, at(0), 1n);
    expect(blob).toMatchObject({ type: 3, maxFeePerBlobGas: 100n, blobVersionedHashes: [1n << 248n] });
    const auths = [
      { chainId: "0x00", address: "0x000000000000000000000000000000000000BEEF", nonce: "0x00", v: "0x01", r: "0x02", s: "0x03" },
      { chainId: "0x01", address: "0x000000000000000000000000000000000000beef", nonce: "0x07", v: "0x1b", yParity: "0x00", r: "0x02", s: "0x03" },
    ];
    const setCode = buildTx({ ...eip1559, authorizationList: auths }, at(0), 1n);
    expect(setCode.type).toBe(4);
    expect(setCode.authorizationList).toEqual([
      { chainId: 0n, address: "0x000000000000000000000000000000000000beef", nonce: 0n, yParity: 1n, r: 2n, s: 3n },
      { chainId: 1n, address: "0x000000000000000000000000000000000000beef", nonce: 7n, yParity: 0n, r: 2n, s: 3n },
    ]);
  });

  it("rejects fields wider than their encoding, reading the `0x:bigint` spelling", () => {
    expect(() => buildTx({ ...base, value: [`0x:bigint 0x1${"00".repeat(32)}`] }, at(0), 1n)).toThrow(TxFieldError);
    expect(buildTx({ ...base, value: [`0x:bigint 0x${"ff".repeat(32)}`] }, at(0), 1n).value).toBe((1n << 256n) - 1n);
    expect(() => buildTx({ ...base, gasLimit: [`0x1${"00".repeat(8)}`] }, at(0), 1n)).toThrow(TxFieldError);
  });

  it("agrees with the signed transaction bytes of every sample fixture", () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const f of collectFixtureFiles([FIXTURES])) {
      const file = JSON.parse(readFileSync(f.path, "utf8")) as StateTestFile;
      for (const [name, t] of Object.entries(file)) {
        for (const [fork, entries] of Object.entries(t.post)) {
          for (const e of entries) {
            if (e.txbytes === undefined) continue;
            const decoded = decodeTxBytes(hexToBytes(e.txbytes));
            if (decoded === undefined) continue; // deliberately malformed bytes of an invalid-tx test
            let tx: Tx;
            try {
              tx = buildTx(t.transaction, e.indexes, chainIdOf(t));
            } catch (err) {
              if (err instanceof TxFieldError && e.expectException !== undefined) continue;
              throw err;
            }
            const diff = compareTx(tx, decoded);
            checked++;
            if (diff !== undefined) wrong.push(`${f.rel} ${name} ${fork} ${JSON.stringify(e.indexes)}: ${diff}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(wrong).toEqual([]);
  });
});

describe("buildBlock and pre-state", () => {
  const test: StateTest = {
    env: {
      currentCoinbase: "0x2ADC25665018AA1FE0E6BC666DAC8FC2697FF9BA",
      currentGasLimit: "0x05f5e100",
      currentNumber: "0x01",
      currentTimestamp: "0x03e8",
      currentDifficulty: "0x020000",
      currentExcessBlobGas: "0x0a0000",
    },
    pre: {
      [SENDER]: { balance: "0x0de0b6b3a7640000", nonce: "0x00", code: "0x", storage: {} },
      "0x1000000000000000000000000000000000000000": { balance: "0x00", nonce: "0x01", code: "0x600160005500", storage: { "0x00": "0x01", "0x01": "0x00" } },
    },
    transaction: base,
    post: {},
    config: { chainid: "0x0a", blobSchedule: { Prague: { target: "0x06", max: "0x09", baseFeeUpdateFraction: "0x4c6964" } } },
  };

  it("reads the env, falling back to the difficulty for prevRandao and to 10 for the base fee", () => {
    const block = buildBlock(test, "Prague");
    expect(block).toMatchObject({ number: 1n, timestamp: 1000n, coinbase: "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba", gasLimit: 100_000_000n, baseFee: 10n, prevRandao: 0x20000n, excessBlobGas: 0xa0000n, chainId: 10n });
    expect(block.blobBaseFeeUpdateFraction).toBe(5007716n);
    expect(block.maxBlobsPerBlock).toBe(9);
    expect(buildBlock(test, "Cancun").maxBlobsPerBlock).toBeUndefined();
    expect(buildBlock({ ...test, config: undefined }, "Cancun").chainId).toBe(1n);
    expect(buildBlock({ ...test, env: { ...test.env, currentRandom: "0x05", currentBaseFee: "0x07" } }, "Cancun")).toMatchObject({ prevRandao: 5n, baseFee: 7n });
  });

  it("loads accounts with code and non-zero storage, and geth's block hashes", () => {
    const s = buildPreState(test.pre);
    const a = s.accounts.get("0x1000000000000000000000000000000000000000")!;
    expect(a.nonce).toBe(1n);
    expect([...a.storage]).toEqual([[0n, 1n]]);
    expect(bytesToHex(s.code("0x1000000000000000000000000000000000000000"))).toBe("0x600160005500");
    expect(s.account(SENDER)?.balance).toBe(10n ** 18n);
    expect(s.blockHash(0n)).toBe(stateTestBlockHash(0n));
    expect(stateTestBlockHash(5n)).toBe(bytesToBigInt(keccak256(new TextEncoder().encode("5"))));
  });
});

/** The fields of a signed transaction (EIP-2718 envelope or legacy RLP list) that a fixture spells out. */
interface DecodedTx {
  type: number;
  nonce: bigint;
  gasLimit: bigint;
  to: string | null;
  value: bigint;
  data: string;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  accessList: { address: string; storageKeys: bigint[] }[];
  maxFeePerBlobGas?: bigint;
  blobVersionedHashes: bigint[];
  authorizationList: { chainId: bigint; address: string; nonce: bigint; yParity: bigint; r: bigint; s: bigint }[];
}

function decodeTxBytes(bytes: Uint8Array): DecodedTx | undefined {
  let type = 0;
  let body = bytes;
  if (bytes[0] < 0x7f) [type, body] = [bytes[0], bytes.subarray(1)];
  let f: RlpItem[];
  try {
    f = rlpDecode(body) as RlpItem[];
  } catch {
    return undefined;
  }
  const n = (i: number) => bytesToBigInt(f[i] as Uint8Array);
  const h = (i: number) => bytesToHex(f[i] as Uint8Array);
  const to = (i: number) => ((f[i] as Uint8Array).length === 0 ? null : h(i));
  const accessList = (i: number) =>
    (f[i] as RlpItem[][]).map(([a, keys]) => ({ address: bytesToHex(a as Uint8Array), storageKeys: (keys as Uint8Array[]).map(bytesToBigInt) }));
  const common = { type, blobVersionedHashes: [] as bigint[], authorizationList: [] as DecodedTx["authorizationList"] };
  if (type === 0) return { ...common, nonce: n(0), gasPrice: n(1), gasLimit: n(2), to: to(3), value: n(4), data: h(5), accessList: [] };
  if (type === 1) return { ...common, nonce: n(1), gasPrice: n(2), gasLimit: n(3), to: to(4), value: n(5), data: h(6), accessList: accessList(7) };
  const fee = { nonce: n(1), maxPriorityFeePerGas: n(2), maxFeePerGas: n(3), gasLimit: n(4), to: to(5), value: n(6), data: h(7), accessList: accessList(8) };
  if (type === 2) return { ...common, ...fee };
  if (type === 3) return { ...common, ...fee, maxFeePerBlobGas: n(9), blobVersionedHashes: (f[10] as Uint8Array[]).map(bytesToBigInt) };
  const auths = (f[9] as Uint8Array[][]).map((a) => ({
    chainId: bytesToBigInt(a[0]),
    address: bytesToHex(a[1]),
    nonce: bytesToBigInt(a[2]),
    yParity: bytesToBigInt(a[3]),
    r: bytesToBigInt(a[4]),
    s: bytesToBigInt(a[5]),
  }));
  return { ...common, ...fee, authorizationList: auths };
}

function compareTx(tx: Tx, d: DecodedTx): string | undefined {
  const mine: DecodedTx = {
    type: tx.type,
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    to: tx.to,
    value: tx.value,
    data: bytesToHex(tx.data),
    accessList: tx.accessList,
    blobVersionedHashes: tx.blobVersionedHashes,
    authorizationList: tx.authorizationList,
  };
  if (d.gasPrice !== undefined) mine.gasPrice = tx.gasPrice;
  if (d.maxFeePerGas !== undefined) [mine.maxFeePerGas, mine.maxPriorityFeePerGas] = [tx.maxFeePerGas, tx.maxPriorityFeePerGas];
  if (d.maxFeePerBlobGas !== undefined) mine.maxFeePerBlobGas = tx.maxFeePerBlobGas;
  const a = canonical(mine), b = canonical(d);
  return a === b ? undefined : `built ${a.slice(0, 300)} signed ${b.slice(0, 300)}`;
}

/** JSON with sorted keys and bigints as hex, so that field order does not matter. */
function canonical(v: unknown): string {
  if (typeof v === "bigint") return `"0x${v.toString(16)}"`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
