import type { AccountChange, BlockEnv, Need } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH, keccak256Hex } from "../primitives/keccak.ts";
import type { DoStateSource } from "../state/do-source.ts";

/** What a simulation pretends about one account (geth's state override set). */
export interface AccountOverride {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  /** Replaces the whole storage: slots not listed are zero. */
  state?: Map<bigint, bigint>;
  /** Patches single slots, the rest as stored. */
  stateDiff?: Map<bigint, bigint>;
}

export type StateOverrides = Map<Address, AccountOverride>;

/** What a simulation pretends about its block. */
export interface BlockOverrides {
  number?: bigint;
  time?: bigint;
  baseFee?: bigint;
  coinbase?: Address;
  prevRandao?: bigint;
  gasLimit?: bigint;
}

export function overrideBlock(block: BlockEnv, o: BlockOverrides | undefined): BlockEnv {
  if (o === undefined) return block;
  return {
    ...block,
    number: o.number ?? block.number,
    timestamp: o.time ?? block.timestamp,
    baseFee: o.baseFee ?? block.baseFee,
    coinbase: o.coinbase ?? block.coinbase,
    prevRandao: o.prevRandao ?? block.prevRandao,
    gasLimit: o.gasLimit ?? block.gasLimit,
  };
}

/**
 * Lays the overrides over `source` as if they were stored state (never committed): loads each
 * overridden account first, so that the fields not overridden keep their stored values.
 */
export async function applyStateOverrides(source: DoStateSource, overrides: StateOverrides | undefined): Promise<void> {
  if (overrides === undefined || overrides.size === 0) return;
  const needs: Need[] = [];
  for (const address of overrides.keys()) needs.push({ kind: "account", address }, { kind: "code", address });
  await source.load(needs);
  const changes: AccountChange[] = [];
  for (const [address, o] of overrides) {
    const info = source.info(address) ?? null;
    const storage = new Map(o.state ?? []);
    for (const [k, v] of o.stateDiff ?? []) storage.set(k, v);
    changes.push({
      address,
      deleted: false,
      nonce: o.nonce ?? info?.nonce ?? 0n,
      balance: o.balance ?? info?.balance ?? 0n,
      codeHash: o.code === undefined ? (info?.codeHash ?? EMPTY_CODE_HASH) : o.code.length === 0 ? EMPTY_CODE_HASH : keccak256Hex(o.code),
      code: o.code,
      storageReset: o.state !== undefined,
      storage,
    });
  }
  source.overlay(changes);
}
