import type { Log } from "../../evm/types.ts";
import { hexToBytes, type Address, type Hex } from "../../primitives/hex.ts";
import { assetChanges, assetTransfers, type AssetChange, type AssetTransfer } from "../../trace/assets.ts";
import type { CallFrameJson } from "../../trace/call-tracer.ts";
import type { PrestateAccount } from "../../trace/prestate-tracer.ts";
import { decodeTokenEvent, type DecodedEvent } from "../../trace/token-events.ts";

/** A field that changed: before → after. */
export interface Change {
  before: Hex;
  after: Hex;
}

/** One changed account, as `/v1/simulate` reports it in `stateDiff`. */
export interface AccountDiff {
  address: Address;
  balance?: Change;
  nonce?: Change;
  code?: Change;
  storage: ({ slot: Hex } & Change)[];
}

export interface ShownLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  decoded: DecodedEvent | null;
}

export interface Failure {
  code: string;
  message: string;
}

/**
 * What the detail view shows of one transaction, whether it comes from a simulation's answer or
 * from the traces of a committed transaction: the same sections either way.
 */
export interface Execution {
  status: "success" | "reverted" | "halted" | "invalid";
  gasUsed?: number;
  error?: Failure;
  createdAddress?: Address | null;
  trace?: CallFrameJson;
  logs: ShownLog[];
  transfers: AssetTransfer[];
  assetChanges: AssetChange[];
  stateDiff?: AccountDiff[];
  raw: unknown;
}

/** One transaction's answer from `POST /v1/simulate` (asked with a call trace with logs). */
export interface SimulatedJson {
  status: Execution["status"];
  gasUsed?: number;
  error?: Failure;
  logs?: ShownLog[];
  createdAddress?: Address | null;
  transfers?: AssetTransfer[];
  assetChanges?: AssetChange[];
  stateDiff?: AccountDiff[];
  trace?: CallFrameJson;
}

export function fromSimulated(s: SimulatedJson): Execution {
  return {
    status: s.status, gasUsed: s.gasUsed, error: s.error, createdAddress: s.createdAddress, trace: s.trace,
    logs: s.logs ?? [], transfers: s.transfers ?? [], assetChanges: s.assetChanges ?? [], stateDiff: s.stateDiff, raw: s,
  };
}

/** The logs a call tree (callTracer with `withLog`) emitted, in the order of their index. */
export function treeLogs(root: CallFrameJson): Log[] {
  const out: { index: number; log: Log }[] = [];
  const walk = (f: CallFrameJson) => {
    for (const l of f.logs ?? []) out.push({ index: Number(l.index), log: { address: l.address, topics: l.topics, data: hexToBytes(l.data) } });
    for (const c of f.calls ?? []) walk(c);
  };
  walk(root);
  return out.sort((a, b) => a.index - b.index).map((e) => e.log);
}

/** A committed transaction, from debug_traceTransaction's callTracer (with logs) and prestateTracer (diff mode). */
export function fromTraces(root: CallFrameJson, prestate: { pre: Record<Address, PrestateAccount>; post: Record<Address, PrestateAccount> }): Execution {
  const logs = treeLogs(root);
  const transfers = assetTransfers(root, logs);
  const status = root.error === undefined ? "success" : root.error === "execution reverted" ? "reverted" : "halted";
  const message = root.revertReason === undefined ? root.error : `${root.error}: ${root.revertReason}`;
  return {
    status, gasUsed: Number(root.gasUsed), trace: root,
    error: root.error === undefined ? undefined : { code: status === "reverted" ? "reverted" : root.error.replaceAll(" ", "_"), message: message! },
    logs: logs.map((l) => ({ address: l.address, topics: l.topics, data: hexOf(l.data), decoded: decodeTokenEvent(l) ?? null })),
    transfers, assetChanges: assetChanges(transfers), stateDiff: diffOfPrestate(prestate.pre, prestate.post),
    raw: { callTracer: root, prestateTracer: prestate },
  };
}

const hexOf = (b: Uint8Array): Hex => `0x${[...b].map((x) => x.toString(16).padStart(2, "0")).join("")}`;
const ZERO_WORD: Hex = `0x${"0".repeat(64)}`;
const quantity = (n: number | Hex | undefined): Hex => (n === undefined ? "0x0" : typeof n === "number" ? `0x${n.toString(16)}` : n);

/**
 * geth's diff mode, as before → after per field: `pre` holds the old values of what changed,
 * `post` the new ones. A slot in `pre` but not in `post` became zero; an account in `pre` but
 * not in `post` was deleted; a field absent from `post` did not change.
 */
export function diffOfPrestate(pre: Record<Address, PrestateAccount>, post: Record<Address, PrestateAccount>): AccountDiff[] {
  const out: AccountDiff[] = [];
  for (const address of new Set([...Object.keys(pre), ...Object.keys(post)] as Address[])) {
    const was = pre[address] ?? {}, now = post[address], deleted = now === undefined;
    const d: AccountDiff = { address, storage: [] };
    const change = (before: Hex, after: Hex) => (before === after ? undefined : { before, after });
    if (deleted || now.balance !== undefined) d.balance = change(was.balance ?? "0x0", deleted ? "0x0" : now.balance!);
    if (deleted || now.nonce !== undefined) d.nonce = change(quantity(was.nonce), deleted ? "0x0" : quantity(now.nonce));
    if (deleted || now.code !== undefined) d.code = change(was.code ?? "0x", deleted ? "0x" : now.code!);
    for (const slot of new Set([...Object.keys(was.storage ?? {}), ...Object.keys(now?.storage ?? {})] as Hex[])) {
      const c = change(was.storage?.[slot] ?? ZERO_WORD, now?.storage?.[slot] ?? ZERO_WORD);
      if (c !== undefined) d.storage.push({ slot, ...c });
    }
    for (const k of ["balance", "nonce", "code"] as const) if (d[k] === undefined) delete d[k];
    if (d.balance || d.nonce || d.code || d.storage.length > 0) out.push(d);
  }
  return out;
}
