import { bigIntToHex, bytesToHex, toAddress, type Address } from "../../primitives/hex.ts";
import type { MemoryState } from "../../state/memory.ts";
import type { FixtureAccount } from "./fixture.ts";
import { parseAccount } from "./parse.ts";

const MAX_CODE_CHARS = 24;

/**
 * The first few ways `state` differs from a fixture's expected post state, as short phrases
 * ("0xab…: balance 0x1 want 0x2"). A root mismatch alone says nothing about where to look.
 */
export function diffState(state: MemoryState, expected: Record<string, FixtureAccount>, limit = 4): string[] {
  const out: string[] = [];
  const want = new Map<Address, ReturnType<typeof parseAccount>>();
  for (const [address, account] of Object.entries(expected)) want.set(toAddress(address), parseAccount(account));

  for (const [address, w] of want) {
    if (out.length >= limit) return out;
    const got = state.accounts.get(address);
    if (got === undefined) {
      out.push(`${address}: missing (want nonce ${w.nonce} balance ${bigIntToHex(w.balance)})`);
      continue;
    }
    if (got.nonce !== w.nonce) out.push(`${address}: nonce ${got.nonce} want ${w.nonce}`);
    if (got.balance !== w.balance) out.push(`${address}: balance ${bigIntToHex(got.balance)} want ${bigIntToHex(w.balance)} (diff ${signed(got.balance - w.balance)})`);
    if (bytesToHex(got.code) !== bytesToHex(w.code)) out.push(`${address}: code ${short(bytesToHex(got.code))} want ${short(bytesToHex(w.code))}`);
    const slots = new Set([...got.storage.keys(), ...w.storage.keys()]);
    for (const slot of slots) {
      const g = got.storage.get(slot) ?? 0n;
      const e = w.storage.get(slot) ?? 0n;
      if (g !== e) out.push(`${address}: [${bigIntToHex(slot)}] ${bigIntToHex(g)} want ${bigIntToHex(e)}`);
    }
  }
  for (const address of state.accounts.keys()) {
    if (out.length >= limit) break;
    if (!want.has(address)) out.push(`${address}: exists, want absent`);
  }
  return out.slice(0, limit);
}

/** Decimal, because a balance off by a multiple of the gas price is a gas bug. */
function signed(v: bigint): string {
  return v < 0n ? `${v}` : `+${v}`;
}

function short(hex: string): string {
  return hex.length <= MAX_CODE_CHARS ? hex : `${hex.slice(0, MAX_CODE_CHARS)}…(${(hex.length - 2) / 2} bytes)`;
}
