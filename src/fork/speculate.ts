import type { Fork } from "../evm/fork.ts";
import { TxRun, txPrefetch } from "../evm/run.ts";
import { MISS, type AccountInfo, type BlockEnv, type Need, type StateSource, type Tx } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import type { DoStateSource } from "../state/do-source.ts";
import { errorFields, logEvent } from "../primitives/log.ts";

/** Discovery passes at most; each costs one round trip and an EVM run per guess. */
const MAX_PASSES = 8;
/**
 * What an unknown slot is guessed to hold, one run per guess: zero; one (a lock or flag that
 * must be set); and a value whose every 32-bit word is non-zero (a balance or allowance that
 * must cover an amount, packed reserves). Each guess gets a run further past other checks.
 */
const GUESSES = [0n, 1n, BigInt(`0x${"00000001".repeat(8)}`) << 4n];
const EMPTY = new Uint8Array(0);

/**
 * Answers what `inner` has loaded and, for anything else, records the need and guesses (no
 * account, no code, zero): a run over it never suspends, and its recorded needs are what the
 * real run would most likely ask for next, all at once.
 */
class Guessing implements StateSource {
  constructor(
    private readonly inner: StateSource,
    private readonly guess: bigint,
    private readonly needs: Map<string, Need>,
  ) {}

  private miss(key: string, need: Need): void {
    if (!this.needs.has(key)) this.needs.set(key, need);
  }

  account(address: Address): AccountInfo | null {
    const a = this.inner.account(address);
    if (a !== MISS) return a;
    // An account found now is often called next: its code comes with it, a round trip sooner.
    this.miss(`a${address}`, { kind: "account", address });
    this.miss(`c${address}`, { kind: "code", address });
    return null;
  }

  code(address: Address): Uint8Array {
    const c = this.inner.code(address);
    if (c !== MISS) return c;
    this.miss(`c${address}`, { kind: "code", address });
    return EMPTY;
  }

  storage(address: Address, slot: bigint): bigint {
    const v = this.inner.storage(address, slot);
    if (v !== MISS) return v;
    this.miss(`s${address}${slot}`, { kind: "storage", address, slot });
    return this.guess;
  }

  blockHash(n: bigint): bigint {
    const h = this.inner.blockHash(n);
    if (h !== MISS) return h;
    this.miss(`b${n}`, { kind: "blockHash", number: n });
    return 0n;
  }
}

/**
 * Loads, in few round trips, what `tx` will read: runs it over guesses, loads every miss of that
 * run in one batch, and again with what was learnt, until a run misses nothing (or the passes
 * run out). A guess can send a pass down a path the real run will not take: that costs bytes,
 * never correctness, since the real run afterwards reads only loaded values. Without this, each
 * SLOAD of a cold slot is its own round trip.
 */
export async function discover(source: DoStateSource, tx: Tx, block: BlockEnv, fork: Fork): Promise<number> {
  await source.load(txPrefetch(tx, block, true));
  const scanned = new Set<Address>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const needs = new Map<string, Need>();
    for (const o of source.observedState()) {
      if (o.code === undefined || scanned.has(o.address)) continue;
      scanned.add(o.address);
      for (const slot of constantSlots(source.code(o.address) as Uint8Array)) if (source.storage(o.address, slot) === MISS) needs.set(`s${o.address}${slot}`, { kind: "storage", address: o.address, slot });
    }
    for (const guess of GUESSES) {
      const run = new TxRun({ source: new Guessing(source, guess, needs), tx, block, fork, validate: false, lazyCoinbase: true, limits: { deadline: Date.now() + 1000 } });
      try {
        run.step();
      } catch (e) {
        // Guesses are not a state the EVM can meet; the real run will tell.
        logEvent("warn", "fork_discovery_failed", errorFields(e));
        return pass;
      } finally {
        // A guessed run may stop suspended, or throw, with frames still holding pooled limbs.
        run.release();
      }
    }
    if (needs.size === 0) return pass;
    await source.load([...needs.values()]);
  }
  return MAX_PASSES;
}

const SLOAD = 0x54, PUSH0 = 0x5f, PUSH1 = 0x60, PUSH32 = 0x7f;
const MAX_CONSTANT_SLOTS = 32;

/**
 * Slots a contract reads at a fixed number (`PUSHn k SLOAD`: a state variable, as opposed to a
 * mapping entry): loaded together with the first slot the contract misses, not one by one.
 */
export function constantSlots(code: Uint8Array): bigint[] {
  const out = new Set<bigint>();
  for (let i = 0; i < code.length && out.size < MAX_CONSTANT_SLOTS; i++) {
    const op = code[i];
    if (op === PUSH0 && code[i + 1] === SLOAD) out.add(0n);
    if (op < PUSH1 || op > PUSH32) continue;
    const n = op - PUSH1 + 1;
    if (code[i + 1 + n] === SLOAD) {
      let v = 0n;
      for (let j = 1; j <= n; j++) v = (v << 8n) | BigInt(code[i + j] ?? 0);
      out.add(v);
    }
    i += n;
  }
  return [...out];
}
