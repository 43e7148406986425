import { describe, expect, it } from "vitest";
import { currentBlock } from "../../src/exec/block.ts";
import type { Config } from "../../src/exec/config.ts";

const config: Config = { genesisTime: 1_000n, blockTimeSeconds: 2n, maxGas: 30_000_000n, faucetWei: 0n, memoryCapBytes: 1 << 25, timeCapMs: 5000, requestGas: 1n << 26n };

describe("clock blocks", () => {
  it("numbers blocks by the interval since genesis; a block ends when the next starts", () => {
    const b = currentBlock(7n, config, 1_005_500);
    expect(b.env.number).toBe(2n);
    expect(b.env.timestamp).toBe(1_004n);
    expect(b.endsAt).toBe(1_006_000);
    expect(currentBlock(7n, config, 1_006_000).env.number).toBe(3n);
    expect(currentBlock(7n, config, 0).env.number).toBe(0n);
  });

  it("charges no fee and derives the randomness from the chain and number", () => {
    const a = currentBlock(7n, config, 1_005_500).env, b = currentBlock(8n, config, 1_005_500).env;
    expect(a).toMatchObject({ baseFee: 0n, chainId: 7n, coinbase: "0x0000000000000000000000000000000000000000" });
    expect(a.prevRandao).not.toBe(b.prevRandao);
  });
});
