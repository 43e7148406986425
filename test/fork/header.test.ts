import { describe, expect, it } from "vitest";
import { checkHeader } from "../../src/fork/header.ts";
import { ProofError } from "../../src/fork/mpt.ts";
import { constantSlots } from "../../src/fork/speculate.ts";
import { startAnvil } from "../../scripts/anvil.ts";
import { rpc } from "../helpers/rpc.ts";

/**
 * Headers of every field set, as a real client hashes them: Anvil run at each hardfork mines a
 * block, and its header must check (keccak of the RLP of its fields is its hash), while changing
 * any one field must not.
 */
describe("block headers of each fork's field set", () => {
  it.each([
    ["berlin", 15],
    ["london", 16],
    ["shanghai", 17],
    ["cancun", 20],
    ["prague", 21],
    ["osaka", 21],
  ])("%s (%i fields)", async (hardfork, fields) => {
    const anvil = await startAnvil(["--hardfork", hardfork]);
    try {
      // A legacy transaction: Berlin has no fee market.
      const tx = await rpc(anvil.url, "eth_sendTransaction", [{ from: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", to: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", value: "0x1", gasPrice: "0x77359400" }]);
      // Anvil may answer the hash before its mined block is "latest": ask for the receipt's block.
      let receipt = await rpc(anvil.url, "eth_getTransactionReceipt", [tx]);
      for (let i = 0; receipt == null && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        receipt = await rpc(anvil.url, "eth_getTransactionReceipt", [tx]);
      }
      const block = await rpc(anvil.url, "eth_getBlockByNumber", [receipt.blockNumber, false]);
      const h = checkHeader(block);
      expect(h.hash).toBe(block.hash);
      expect(h.number).toBe(1n);
      const optional = ["baseFeePerGas", "withdrawalsRoot", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot", "requestsHash"].filter((f) => block[f] != null);
      expect(15 + optional.length).toBe(fields);
      for (const f of ["parentHash", "stateRoot", "timestamp", "extraData", ...optional.filter((o) => o !== "blobGasUsed")]) {
        const altered = { ...block, [f]: f === "extraData" ? "0x01" : f === "timestamp" ? "0x1" : `0x${"11".repeat(32)}` };
        expect(() => checkHeader(altered), f).toThrow(ProofError);
      }
      const { hash: _hash, ...noHash } = block;
      expect(() => checkHeader({ ...noHash, hash: `0x${"22".repeat(32)}` })).toThrow(ProofError);
    } finally {
      anvil.stop();
    }
  });
});

describe("constant slots", () => {
  it("finds PUSHn k SLOAD and PUSH0 SLOAD, and skips push data", () => {
    // PUSH1 8 SLOAD, PUSH0 SLOAD, PUSH2 0x0102 SLOAD, PUSH1 0x54 (data that looks like SLOAD) POP
    expect(constantSlots(Uint8Array.from([0x60, 0x08, 0x54, 0x5f, 0x54, 0x61, 0x01, 0x02, 0x54, 0x60, 0x54, 0x50]))).toEqual([8n, 0n, 0x102n]);
  });
});
