import type { Env } from "../env.ts";
import type { Address } from "../primitives/hex.ts";
import type { BlockEnv } from "../evm/types.ts";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Address;

/**
 * Blocks follow the clock: no sequencer, no mining. Block n covers
 * [GENESIS_TIME + n * BLOCK_TIME, GENESIS_TIME + (n + 1) * BLOCK_TIME). Gas is metered per API key,
 * not paid in ether: the base fee is zero and the coinbase is the zero address.
 */
export function currentBlock(env: Env, nowMs = Date.now()): BlockEnv {
  const genesis = BigInt(env.GENESIS_TIME), interval = BigInt(env.BLOCK_TIME);
  const now = BigInt(Math.floor(nowMs / 1000));
  const number = now > genesis ? (now - genesis) / interval : 0n;
  return {
    number,
    timestamp: genesis + number * interval,
    coinbase: ZERO_ADDRESS,
    gasLimit: 60_000_000n,
    baseFee: 0n,
    prevRandao: number,
    excessBlobGas: 0n,
    chainId: BigInt(env.CHAIN_ID),
  };
}
