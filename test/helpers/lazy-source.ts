import type { Address } from "../../src/primitives/hex.ts";
import { MISS, type AccountInfo, type Need, type StateSource } from "../../src/evm/types.ts";
import type { MemoryState } from "../../src/state/memory.ts";

/** Serves only what was explicitly loaded: every first access misses. */
export class LazySource implements StateSource {
  readonly loaded = new Set<string>();
  requests: Need[][] = [];
  constructor(private readonly backing: MemoryState) {}
  private key(n: Need): string {
    return n.kind === "storage" ? `s:${n.address}:${n.slot}` : n.kind === "blockHash" ? `b:${n.number}` : `${n.kind}:${n.address}`;
  }
  load(needs: Need[]): void {
    this.requests.push(needs);
    for (const n of needs) this.loaded.add(this.key(n));
  }
  account(address: Address): AccountInfo | null | typeof MISS {
    return this.loaded.has(`account:${address}`) ? this.backing.account(address) : MISS;
  }
  code(address: Address): Uint8Array | typeof MISS {
    return this.loaded.has(`code:${address}`) ? this.backing.code(address) : MISS;
  }
  storage(address: Address, slot: bigint): bigint | typeof MISS {
    return this.loaded.has(`s:${address}:${slot}`) ? this.backing.storage(address, slot) : MISS;
  }
  blockHash(n: bigint): bigint | typeof MISS {
    return this.loaded.has(`b:${n}`) ? this.backing.blockHash(n) : MISS;
  }
}

