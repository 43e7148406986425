import type { Frame } from "../evm/frame.ts";
import type { Inspector } from "../evm/inspector.ts";
import type { AccessListItem } from "../evm/types.ts";
import { addressAt, wordAt } from "../evm/stack.ts";
import type { Address } from "../primitives/hex.ts";
import { memberBytes, WORD_BYTES } from "./json-size.ts";
import { TraceMeter } from "./meter.ts";

const SLOAD = 0x54, SSTORE = 0x55;
/** An item with no key yet, and its separator. */
const ITEM_BYTES = 2 + memberBytes("address", 44) + memberBytes("storageKeys", 2);
/** Opcodes whose top stack item names an account. */
const ACCOUNT_OPS = new Set([0x31, 0x3b, 0x3c, 0x3f, 0xff]);
/** The CALL family: the account is the second item. */
const CALL_OPS = new Set([0xf1, 0xf2, 0xf4, 0xfa]);

/**
 * The access list a transaction would use, as geth's eth_createAccessList finds it: every
 * account and slot its instructions name, whether or not their frame later reverts, except the
 * sender, the recipient (or created contract) and the precompiles, which are warm anyway.
 */
export class AccessListTracer implements Inspector {
  private readonly accounts = new Map<Address, Set<bigint>>();

  constructor(
    private readonly excluded: ReadonlySet<Address>,
    readonly meter = new TraceMeter(),
  ) {}

  get stop(): "trace_cap" | undefined {
    return this.meter.stop;
  }

  /** Watched, not stepped: the run keeps the plain loop (the stack is checked before `watch`). */
  readonly watched: ReadonlySet<number> = new Set([SLOAD, SSTORE, ...ACCOUNT_OPS, ...CALL_OPS]);

  watch(f: Frame, op: number): void {
    const sp = f.sp;
    if (op === SLOAD || op === SSTORE) this.add(f.address, wordAt(f, sp - 1));
    else if (CALL_OPS.has(op)) this.add(addressAt(f, sp - 2));
    else this.add(addressAt(f, sp - 1));
  }

  /** Counted as `{"address":…,"storageKeys":[…]}` items, whether or not the list leaves them out. */
  private add(address: Address, slot?: bigint): void {
    let slots = this.accounts.get(address);
    if (slots === undefined) {
      if (!this.meter.add(ITEM_BYTES)) return;
      this.accounts.set(address, (slots = new Set()));
    }
    if (slot !== undefined && !slots.has(slot) && this.meter.add(WORD_BYTES + 1)) slots.add(slot);
  }

  /** The list sorted by address, each account's keys by value, as geth sorts it; the recipient appears only for its slots. */
  list(): AccessListItem[] {
    const out: AccessListItem[] = [];
    for (const [address, slots] of this.accounts) {
      if (this.excluded.has(address) && slots.size === 0) continue;
      out.push({ address, storageKeys: [...slots].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) });
    }
    // Addresses are lowercase hex of one length: their order as strings is their order as numbers.
    return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }
}
