import type { Log } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import type { TransferFrameJson } from "./call-tracer.ts";
import { tokenTransfers, type TokenStandard } from "./token-events.ts";

export type Asset = { type: "native" } | { type: TokenStandard; token: Address; tokenId?: string };

/** One movement of value: ether between accounts, or tokens as their events record. */
export interface AssetTransfer {
  asset: Asset;
  from: Address;
  to: Address;
  /** Decimal string. */
  amount: string;
}

/** The net change of one asset for one address: a signed decimal string. */
export interface AssetChange {
  address: Address;
  asset: Asset;
  change: string;
}

/** The messages that move their value to `to` (CALLCODE keeps it, DELEGATECALL and STATICCALL carry none). */
export const MOVES_VALUE: ReadonlySet<string> = new Set(["CALL", "CREATE", "CREATE2", "SELFDESTRUCT"]);

/** Ether moved by the messages of a call tree that did not fail (nor any message above them). */
export function nativeTransfers(root: TransferFrameJson): AssetTransfer[] {
  const out: AssetTransfer[] = [];
  const walk = (f: TransferFrameJson) => {
    if (f.error !== undefined) return;
    const value = f.value === undefined ? 0n : BigInt(f.value);
    if (value !== 0n && MOVES_VALUE.has(f.type) && f.to !== undefined && f.to !== f.from) out.push({ asset: { type: "native" }, from: f.from, to: f.to, amount: value.toString() });
    for (const c of f.calls ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Every ether and token movement of a run: its call tree and the logs it emitted. */
export function assetTransfers(root: TransferFrameJson, logs: Log[]): AssetTransfer[] {
  const tokens = tokenTransfers(logs).map((t): AssetTransfer => {
    const asset: Asset = t.standard === "erc20" ? { type: "erc20", token: t.token } : { type: t.standard, token: t.token, tokenId: t.tokenId!.toString() };
    return { asset, from: t.from, to: t.to, amount: t.amount.toString() };
  });
  return [...nativeTransfers(root), ...tokens];
}

/** Net change per address and asset; addresses whose changes cancel out are left out. */
export function assetChanges(transfers: AssetTransfer[]): AssetChange[] {
  const net = new Map<string, { address: Address; asset: Asset; change: bigint }>();
  const add = (address: Address, asset: Asset, delta: bigint) => {
    const key = `${address}|${JSON.stringify(asset)}`;
    const e = net.get(key);
    if (e === undefined) net.set(key, { address, asset, change: delta });
    else e.change += delta;
  };
  for (const t of transfers) {
    add(t.from, t.asset, -BigInt(t.amount));
    add(t.to, t.asset, BigInt(t.amount));
  }
  return [...net.values()].filter((e) => e.change !== 0n).map((e) => ({ address: e.address, asset: e.asset, change: e.change.toString() }));
}
