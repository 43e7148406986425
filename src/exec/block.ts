import { bigIntToBytes, concatBytes } from "../primitives/bytes.ts";
import type { Address } from "../primitives/hex.ts";
import { keccak256Word } from "../primitives/keccak.ts";
import type { BlockEnv } from "../evm/types.ts";
import type { Config } from "./config.ts";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Address;
const BLOCK_GAS_LIMIT = 60_000_000n;

export interface ClockBlock {
  env: BlockEnv;
  /** Epoch ms at which the next block starts: a run of this block must commit before. */
  endsAt: number;
}

/**
 * Blocks follow the clock: no sequencer, no mining. Block n covers
 * [genesis + n * interval, genesis + (n + 1) * interval) seconds, and a transaction belongs to the
 * block in which it commits. Gas costs no ether (base fee zero, coinbase the zero address).
 */
export function currentBlock(chainId: bigint, config: Config, nowMs = Date.now()): ClockBlock {
  const now = BigInt(Math.floor(nowMs / 1000));
  const counted = now > config.genesisTime ? (now - config.genesisTime) / config.blockTimeSeconds : 0n;
  const number = counted < config.firstBlock ? config.firstBlock : counted;
  const timestamp = config.genesisTime + number * config.blockTimeSeconds;
  return {
    env: { number, timestamp, coinbase: ZERO_ADDRESS, gasLimit: BLOCK_GAS_LIMIT, baseFee: 0n, prevRandao: blockHash(chainId, number), excessBlobGas: 0n, chainId },
    endsAt: Number(timestamp + config.blockTimeSeconds) * 1000,
  };
}

/**
 * There are no real blocks: a block's hash is derived from its chain and number, and ends with
 * the number (its last 8 bytes), so the block of a hash is found without a search.
 */
export function blockHash(chainId: bigint, number: bigint): bigint {
  const input = concatBytes(bigIntToBytes(chainId, 32), bigIntToBytes(number, 32));
  const h = keccak256Word(input, 0, input.length);
  return ((h >> 64n) << 64n) | (number & 0xffff_ffff_ffff_ffffn);
}

/** The block number a hash of `blockHash` names (check it by hashing again). */
export const blockNumberInHash = (hash: bigint): bigint => hash & 0xffff_ffff_ffff_ffffn;
