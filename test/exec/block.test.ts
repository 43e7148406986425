import { describe, expect, it } from "vitest";
import { currentBlock } from "../../src/exec/block.ts";
import { clockOf, onClock, type Config } from "../../src/exec/config.ts";
import { forkClock } from "../../src/fork/clock.ts";
import { blockAtMs, blockStartMs } from "../../src/state/blocks.ts";

const config: Config = { genesisTime: 1_000n, blockTimeSeconds: 2n, firstBlock: 0n, maxGas: 30_000_000n, faucetWei: 0n, memoryCapBytes: 1 << 25, timeCapMs: 5000, requestGas: 1n << 26n };

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

  it("a persistent fork's blocks continue its network's: base + 1 at its creation, later in time than the base, then by the clock", () => {
    // The network's block is 3 s ahead of our clock (Anvil after anvil_mine): time never runs back.
    const ahead = onClock(config, forkClock(2, { blockNumber: 500, blockTimestamp: 1_203, createdAt: 1_200_400 }));
    const first = currentBlock(9n, ahead, 1_200_400).env;
    expect(first.number).toBe(501n);
    expect(first.timestamp).toBeGreaterThan(1_203n);
    expect(currentBlock(9n, ahead, 1_100_000).env.number).toBe(501n);
    expect(currentBlock(9n, ahead, 1_206_000).env).toMatchObject({ number: 502n, timestamp: first.timestamp + 2n });
    // An old block: the fork starts at its creation, numbered on from the block.
    const old = onClock(config, forkClock(2, { blockNumber: 21_000_000, blockTimestamp: 1_000, createdAt: 5_000_000 }));
    expect(currentBlock(9n, old, 5_000_000).env).toMatchObject({ number: 21_000_001n, timestamp: 5_000n });
    expect(currentBlock(9n, old, 5_013_999).env.number).toBe(21_000_007n);
    // The account objects place commits by the same clock: every block's start falls in it.
    for (const c of [ahead, old, config]) {
      for (const ms of [0, 1_100_000, 1_200_400, 1_206_000, 5_000_000, 5_013_999]) {
        const n = currentBlock(9n, c, ms).env.number;
        expect(BigInt(blockAtMs(clockOf(c), ms))).toBe(n);
        expect(BigInt(blockAtMs(clockOf(c), blockStartMs(clockOf(c), Number(n))))).toBe(n);
      }
    }
  });
});
