import type { Address } from "../../src/primitives/hex.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import type { BlockEnv, Tx, TxExecuted, TxResult } from "../../src/evm/types.ts";
import { MemoryState } from "../../src/state/memory.ts";

export const SENDER = "0x1000000000000000000000000000000000000001" as Address;
export const CONTRACT = "0x2000000000000000000000000000000000000002" as Address;
export const COINBASE = "0x3000000000000000000000000000000000000003" as Address;

export function block(overrides: Partial<BlockEnv> = {}): BlockEnv {
  return {
    number: 100n,
    timestamp: 1_700_000_000n,
    coinbase: COINBASE,
    gasLimit: 30_000_000n,
    baseFee: 7n,
    prevRandao: 0x1234n,
    excessBlobGas: 0n,
    chainId: 1n,
    ...overrides,
  };
}

export function tx(overrides: Partial<Tx> = {}): Tx {
  return {
    type: 2,
    from: SENDER,
    to: CONTRACT,
    nonce: 0n,
    gasLimit: 1_000_000n,
    maxFeePerGas: 10n,
    maxPriorityFeePerGas: 1n,
    value: 0n,
    data: new Uint8Array(0),
    accessList: [],
    blobVersionedHashes: [],
    authorizationList: [],
    ...overrides,
  };
}

/** A state with a funded sender and `code` at CONTRACT. */
export function stateWith(code: Uint8Array, storage = new Map<bigint, bigint>()): MemoryState {
  const s = new MemoryState();
  s.setAccount(SENDER, { balance: 10n ** 21n });
  s.setAccount(CONTRACT, { code, storage, nonce: 1n });
  return s;
}

export function runCode(code: Uint8Array, opts: { tx?: Partial<Tx>; fork?: Fork; state?: MemoryState } = {}): { result: TxExecuted; state: MemoryState } {
  const state = opts.state ?? stateWith(code);
  const result = runTxSync({ source: state, tx: tx(opts.tx), block: block(), fork: opts.fork ?? Fork.Osaka });
  if (!result.valid) throw new Error(`invalid tx: ${result.error}: ${result.message}`);
  state.apply(result.changes);
  return { result, state };
}

export function expectValid(r: TxResult): TxExecuted {
  if (!r.valid) throw new Error(`invalid tx: ${r.error}`);
  return r;
}
