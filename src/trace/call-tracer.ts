import type { CallEnd, CallKind, CallStart, Inspector } from "../evm/inspector.ts";
import type { Log } from "../evm/types.ts";
import { bytesToBigInt } from "../primitives/bytes.ts";
import { bigIntToHex, bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import { decodeRevert } from "../primitives/revert.ts";
import { callError, panicReason } from "./geth-errors.ts";

export interface CallLogJson {
  address: Address;
  topics: Hex[];
  data: Hex;
  index: Hex;
  /** How many subcalls of the same frame came before the log (geth PR 28389). */
  position: Hex;
}

/** One message of the call tree, field for field as geth's callTracer returns it. */
export interface CallFrameJson {
  type: CallKind;
  from: Address;
  gas: Hex;
  gasUsed: Hex;
  to?: Address;
  input: Hex;
  output?: Hex;
  error?: string;
  revertReason?: string;
  calls?: CallFrameJson[];
  logs?: CallLogJson[];
  value?: Hex;
}

export interface CallTracerConfig {
  onlyTopCall?: boolean;
  withLog?: boolean;
}

interface Open {
  json: CallFrameJson;
  gas: bigint;
  failed: boolean;
}

/** Builds geth's callTracer tree from the inspector's enter/exit/log events. */
export class CallTracer implements Inspector {
  private readonly stack: Open[] = [];
  private root: Open | undefined;
  /** Frames that failed: with `withLog`, their logs (and their callees') are dropped at the end. */
  private failed: Set<CallFrameJson> | undefined;

  constructor(private readonly config: CallTracerConfig = {}) {}

  enter(c: CallStart): void {
    if (this.config.onlyTopCall && c.depth > 0) return;
    const json: CallFrameJson = { type: c.kind, from: c.from, gas: bigIntToHex(c.gas), gasUsed: "0x0", to: c.to, input: bytesToHex(c.input) };
    if (c.kind !== "STATICCALL") json.value = bigIntToHex(c.value);
    this.stack.push({ json, gas: c.gas, failed: false });
  }

  exit(e: CallEnd): void {
    if (this.config.onlyTopCall && this.stack.length > 1) return;
    const open = this.stack.pop();
    if (open === undefined) return;
    const json = open.json;
    json.gasUsed = bigIntToHex(open.gas - e.gasLeft);
    const error = callError(e);
    if (error === undefined) {
      if (e.output.length > 0) json.output = bytesToHex(e.output);
    } else {
      open.failed = true;
      json.error = error;
      if (json.type === "CREATE" || json.type === "CREATE2") delete json.to;
      if (e.status === "reverted" && e.output.length > 0) {
        json.output = bytesToHex(e.output);
        const reason = revertReason(e.output);
        if (reason !== undefined) json.revertReason = reason;
      }
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) this.root = open;
    else (parent.json.calls ??= []).push(json);
    if (open.failed) (this.failed ??= new Set()).add(json);
  }

  log(log: Log, _depth: number, index: number): void {
    if (!this.config.withLog) return;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return;
    const entry: CallLogJson = { address: log.address, topics: log.topics, data: bytesToHex(log.data), index: bigIntToHex(BigInt(index)), position: bigIntToHex(BigInt(top.json.calls?.length ?? 0)) };
    (top.json.logs ??= []).push(entry);
  }

  /**
   * The tree, with the transaction's view of the top frame as geth shows it: its gas is the
   * transaction's gas limit and its gas used the receipt's. Logs of failed frames (and of every
   * frame below one) are dropped: they were never emitted.
   */
  result(gasLimit: bigint, gasUsed: bigint): CallFrameJson {
    const root = this.root;
    if (root === undefined) throw new Error("CallTracer: the run has not ended");
    root.json.gas = bigIntToHex(gasLimit);
    root.json.gasUsed = bigIntToHex(gasUsed);
    if (this.config.withLog) this.clearFailedLogs(root.json, false);
    return root.json;
  }

  private clearFailedLogs(frame: CallFrameJson, parentFailed: boolean): void {
    const failed = parentFailed || (this.failed?.has(frame) ?? false);
    if (failed) delete frame.logs;
    for (const c of frame.calls ?? []) this.clearFailedLogs(c, failed);
  }
}

/** geth's abi.UnpackRevert: the reason of Error(string), or the meaning of a Panic code. */
export function revertReason(output: Uint8Array): string | undefined {
  const d = decodeRevert(output);
  if (d === undefined) return undefined;
  if (d.signature === "Error(string)") return d.reason;
  return panicReason(d.code) ?? `unknown panic code: 0x${bytesToBigInt(output.subarray(4, 36)).toString(16)}`;
}
