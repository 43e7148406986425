import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { hexToBytes } from "../../src/primitives/hex.ts";
import { keccak256Hex } from "../../src/primitives/keccak.ts";
import { rlpEncode, rlpUint } from "../../src/primitives/rlp.ts";
import { decodeRawTx, RawTxError } from "../../src/evm/tx/raw.ts";

const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const me = account.address.toLowerCase();
const TO = "0x7000000000000000000000000000000000000007";

/** Transactions signed by viem (an independent implementation), decoded and recovered by us. */
describe("decodeRawTx", () => {
  const cases: [string, any][] = [
    ["EIP-155 legacy", { type: "legacy", chainId: 31337, nonce: 3, gasPrice: 0n, gas: 50_000n, to: TO, value: 5n, data: "0x1234" }],
    ["pre-EIP-155 legacy", { type: "legacy", nonce: 3, gasPrice: 7n, gas: 50_000n, to: TO, value: 5n }],
    ["type 1 with an access list", { type: "eip2930", chainId: 31337, nonce: 3, gasPrice: 0n, gas: 50_000n, to: TO, accessList: [{ address: TO, storageKeys: [`0x${"00".repeat(31)}01`] }] }],
    ["type 2 creating a contract", { type: "eip1559", chainId: 31337, nonce: 0, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, gas: 50_000n, data: "0x6000" }],
  ];
  for (const [name, t] of cases) {
    it(name, async () => {
      const raw = await account.signTransaction(t);
      const d = decodeRawTx(hexToBytes(raw));
      expect(d.tx.from).toBe(me);
      expect(d.hash).toBe(keccak256Hex(hexToBytes(raw)));
      expect(d.tx.nonce).toBe(BigInt(t.nonce));
      expect(d.tx.gasLimit).toBe(t.gas);
      expect(d.tx.to).toBe(t.to ?? null);
      expect(d.tx.chainId).toBe(t.chainId === undefined ? undefined : BigInt(t.chainId));
      expect(d.tx.accessList.length).toBe(t.accessList?.length ?? 0);
    });
  }

  it("type 4 with an authorization", async () => {
    const auth = await account.signAuthorization({ chainId: 31337, contractAddress: TO, nonce: 1 });
    const raw = await account.signTransaction({ type: "eip7702", chainId: 31337, nonce: 0, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, gas: 80_000n, to: account.address, authorizationList: [auth] });
    const d = decodeRawTx(hexToBytes(raw));
    expect(d.tx.type).toBe(4);
    expect(d.tx.from).toBe(me);
    expect(d.tx.authorizationList[0]).toMatchObject({ address: TO, nonce: 1n, chainId: 31337n });
  });

  it("refuses malformed input, blob transactions, unknown types and high-s signatures", async () => {
    expect(() => decodeRawTx(new Uint8Array())).toThrow(RawTxError);
    expect(() => decodeRawTx(Uint8Array.of(0x03, 0xc0))).toThrow(/blob/);
    expect(() => decodeRawTx(Uint8Array.of(0x09, 0xc0))).toThrow(/unknown transaction type/);
    expect(() => decodeRawTx(Uint8Array.of(0x02, 0xc1))).toThrow(/malformed RLP/);
    // A tampered signature recovers someone else, never the signer.
    const raw = hexToBytes(await account.signTransaction({ type: "legacy", nonce: 0, gasPrice: 0n, gas: 21_000n, to: TO }));
    raw[raw.length - 1] ^= 1;
    expect(decodeRawTx(raw).tx.from).not.toBe(me);
    const fields = [rlpUint(0), rlpUint(0), rlpUint(21_000), hexToBytes(TO), rlpUint(0), new Uint8Array(0), rlpUint(27)];
    const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    expect(() => decodeRawTx(rlpEncode([...fields, rlpUint(0), rlpUint(1)]))).toThrow(/invalid signature/);
    expect(() => decodeRawTx(rlpEncode([...fields, rlpUint(1), rlpUint(N - 1n)]))).toThrow(/lower half/);
  });
});
