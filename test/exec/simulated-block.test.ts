import { describe, expect, it } from "vitest";
import { Fork } from "../../src/evm/fork.ts";
import type { Tx } from "../../src/evm/types.ts";
import type { Address, Hex } from "../../src/primitives/hex.ts";
import { assembleBlock } from "../../src/exec/simulated-block.ts";
import { encodedTxHash } from "../../src/exec/tx-encoding.ts";

// The execution-apis test chain (tests/genesis.json): its chain id, and the header of the block
// eth_simulateV1 builds on its head (ethSimulate-simple.io). Everything else is computed here.
const CHAIN = 3503995874084926n;
const c = (n: number) => `0xc${n}00000000000000000000000000000000000000` as Address;
const transfer = (from: Address, to: Address): Tx => ({
  type: 2, chainId: CHAIN, from, to, nonce: 0n, gasLimit: 50_000_000n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, value: 1000n, data: new Uint8Array(0), accessList: [], blobVersionedHashes: [], authorizationList: [],
});

describe("a simulated block as geth assembles it", () => {
  it("hashes unsigned transactions, builds the tries, the header hash and the size of ethSimulate-simple", () => {
    // geth's default gas: what its 50M gas cap has left (the first call used 21,000).
    const txs = [transfer(c(0), c(1)), { ...transfer(c(1), c(2)), gasLimit: 50_000_000n - 21_000n }];
    expect(txs.map(encodedTxHash)).toEqual(["0xf1c5abb08809ef760f87aeabe7a87284c60797192dab6d2f0d26c27c9c038e9d", "0xbc123d32ae457d4a444af60d1aef663c2f4a77c44a52bec0eef8ac81b53549cb"]);
    const b = assembleBlock(
      {
        env: { number: 0x37n, timestamp: 0x228n, coinbase: "0x0000000000000000000000000000000000000000", gasLimit: 0xbebc200n, baseFee: 0n, prevRandao: 0n, excessBlobGas: 0n, chainId: CHAIN },
        fork: Fork.Osaka,
        parentHash: "0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7",
        gasUsed: 42000n,
        blobGasUsed: 0n,
        stateRoot: "0x026d07e9a1fb2c8e737ede84b4d70fd2c3be2872646b9ff1d13c215eb81354e5",
      },
      txs.map((tx) => ({ tx, success: true, gasUsed: 21000n, logs: [] })),
    );
    const h = b.header as Record<string, Hex>;
    expect(h.transactionsRoot).toBe("0x6d79cfd6f20bf10a0b3831acf15402528b00992cb9a71302596de7fbb4ebfb07");
    expect(h.receiptsRoot).toBe("0x75308898d571eafb5cd8cde8278bf5b3d13c5f6ec074926de3bb895b519264e1");
    expect(h.size).toBe("0x2c5");
    expect(b.hash).toBe("0xdb785f2444d7f68bc2bc04860c27ad059217192d17e2889ec801bcae9209b204");
  });

  it("a log's bloom and receipt (ethSimulate-logs)", () => {
    const tx: Tx = { ...transfer(c(0), "0xc200000000000000000000000000000000000000"), value: 0n, data: Uint8Array.from(Buffer.from("6057361d0000000000000000000000000000000000000000000000000000000000000005", "hex")) };
    expect(encodedTxHash(tx)).toBe("0x0c316124563c91479e019be7b012995015f22f6a150c1f42a78bc25e12cd00f7");
    const b = assembleBlock(
      {
        env: { number: 0x37n, timestamp: 0x228n, coinbase: "0x0000000000000000000000000000000000000000", gasLimit: 0xbebc200n, baseFee: 0n, prevRandao: 0n, excessBlobGas: 0n, chainId: CHAIN },
        fork: Fork.Osaka,
        parentHash: "0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7",
        gasUsed: 0x55d4n,
        blobGasUsed: 0n,
        stateRoot: "0xf8e7af494861226b83c19dc6e281aa7a25d977c73a8241e8e8af8cf2092895d1",
      },
      [{ tx, success: true, gasUsed: 0x55d4n, logs: [{ address: "0xc200000000000000000000000000000000000000", topics: [`0x${"f".repeat(64)}`], data: new Uint8Array(0) }] }],
    );
    const h = b.header as Record<string, Hex>;
    expect(h.receiptsRoot).toBe("0x4287aeb00e17dccbeb1e50061a9ce4bf01cc943641c2583aef0441a7a5e471cd");
    expect(h.logsBloom).toContain("0800000000");
    expect(h.size).toBe("0x2b9");
  });
});
