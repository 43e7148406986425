import { Fork } from "../fork.ts";
import type { BlockEnv } from "../types.ts";

export const GAS_PER_BLOB = 1n << 17n;
const MIN_BLOB_BASE_FEE = 1n;

/** Blob schedule per fork (EIP-4844, EIP-7691); a block may override it (fixture blobSchedule). */
const CANCUN = { max: 6, updateFraction: 3338477n };
const PRAGUE = { max: 9, updateFraction: 5007716n };

/** Before Cancun there are no blobs: the Cancun values stand in and no transaction carries any. */
function schedule(fork: Fork): { max: number; updateFraction: bigint } {
  return fork >= Fork.Prague ? PRAGUE : CANCUN;
}

/** The blob gas a block aims at (EIP-4844, EIP-7691): the excess grows past it. */
export function targetBlobGas(fork: Fork): bigint {
  return GAS_PER_BLOB * (fork >= Fork.Prague ? 6n : 3n);
}

/** EIP-7594 (Osaka): at most 6 blobs in one transaction. */
export function maxBlobsPerTx(block: BlockEnv, fork: Fork): number {
  const perBlock = maxBlobsPerBlock(block, fork);
  return fork >= Fork.Osaka ? Math.min(6, perBlock) : perBlock;
}

export function maxBlobsPerBlock(block: BlockEnv, fork: Fork): number {
  return block.maxBlobsPerBlock ?? schedule(fork).max;
}

/** The blob base fee: fake_exponential(1, excess, fraction) of EIP-4844. */
export function blobBaseFee(block: BlockEnv, fork: Fork): bigint {
  if (block.blobBaseFee !== undefined) return block.blobBaseFee;
  const fraction = block.blobBaseFeeUpdateFraction ?? schedule(fork).updateFraction;
  let i = 1n;
  let output = 0n;
  let acc = MIN_BLOB_BASE_FEE * fraction;
  while (acc > 0n) {
    output += acc;
    acc = (acc * block.excessBlobGas) / (fraction * i);
    i += 1n;
  }
  return output / fraction;
}
