import type { Fork } from "../evm/fork.ts";
import { precompilesOf } from "../evm/precompiles/index.ts";
import type { Precompile } from "../evm/precompiles/types.ts";
import type { Address } from "../primitives/hex.ts";

/** Thrown for an impossible movePrecompileToAddress; `rpcCode` is eth_simulateV1's error code. */
export class PrecompileMoveError extends Error {
  override name = "Exec.PrecompileMoveError";
  constructor(readonly rpcCode: number, message: string, readonly code: string) {
    super(message);
  }
}

/**
 * The precompiles of one simulated block after its state overrides (eth_simulateV1): a
 * precompile with `movePrecompileToAddress` runs at that address instead, and any overridden
 * precompile address stops being one (its code override, if any, runs there), as in geth.
 * Moving what is not a precompile, to itself (-38022), or to an address that is overridden or
 * already receives a move (-38023) is refused. Addresses are visited in byte order, as geth does.
 */
export function movePrecompiles(fork: Fork, overridden: Address[], moves: Map<Address, Address>): ReadonlyMap<Address, Precompile> {
  const base = precompilesOf(fork);
  if (moves.size === 0 && !overridden.some((a) => base.has(a))) return base;
  const table = new Map(base);
  const targets = new Set<Address>();
  for (const address of [...overridden].sort()) {
    const p = table.get(address);
    const to = moves.get(address);
    if (to !== undefined) {
      if (p === undefined) throw new PrecompileMoveError(-32000, `account ${address} is not a precompile`, "not_a_precompile");
      if (to === address) throw new PrecompileMoveError(-38022, `movePrecompileToAddress of ${address} references itself`, "precompile_move_to_itself");
      if (targets.has(to) || overridden.includes(to)) throw new PrecompileMoveError(-38023, `account ${to} is already overridden`, "precompile_move_target_taken");
      table.set(to, p);
      targets.add(to);
    }
    if (p !== undefined) table.delete(address);
  }
  return table;
}
