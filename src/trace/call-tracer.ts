import type { CallEnd, CallKind, CallStart, Inspector } from "../evm/inspector.ts";
import type { Log } from "../evm/types.ts";
import { bytesToBigInt } from "../primitives/bytes.ts";
import { bigIntToHex, bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import { decodeRevert } from "../primitives/revert.ts";
import { callError, panicReason } from "./geth-errors.ts";
import { MOVES_VALUE } from "./assets.ts";
import { asciiBytes, hexBytes, memberBytes, objectBytes, textBytes } from "./json-size.ts";
import { TraceMeter } from "./meter.ts";

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

/** A frame of the tree `CallTracer.forTransfers` builds: the fields of geth's that say what moved. */
export type TransferFrameJson = Pick<CallFrameJson, "type" | "from" | "to" | "value" | "error" | "logs"> & { calls?: TransferFrameJson[] };

export interface CallTracerConfig {
  onlyTopCall?: boolean;
  withLog?: boolean;
}

interface Open {
  json: CallFrameJson;
  gas: bigint;
  failed: boolean;
  /** JSON bytes of the frame with all it holds so far (its callees and logs included). */
  bytes: number;
  /** Of which its own logs. */
  logBytes: number;
}

/** A `"0x…"` address (40 digits). */
const ADDRESS_BYTES = 44;
/** A log's topic: a 32-byte word. */
const TOPIC_BYTES = 68;
/** Stands for the frames entered once the meter is over: they are built no more. */
const DROPPED: Open = { json: { type: "CALL", from: "0x", gas: "0x0", gasUsed: "0x0", input: "0x" }, gas: 0n, failed: false, bytes: 0, logBytes: 0 };

/**
 * Builds geth's callTracer tree from the inspector's enter/exit/log events, counting on `meter`
 * the JSON bytes of each piece before it builds it (an input, an output, a log can each be
 * megabytes, and a run can make a hundred thousand calls); once over, it builds nothing more and
 * the run stops (`stop`).
 */
export class CallTracer implements Inspector {
  private readonly stack: Open[] = [];
  private root: Open | undefined;
  /** Frames that failed: with `withLog`, their logs (and their callees') are dropped at the end. */
  private failed: Set<CallFrameJson> | undefined;
  private readonly logBytes = new Map<CallFrameJson, number>();
  /** See `forTransfers`. */
  private lean = false;
  /** Messages open, counted only with onlyTopCall. */
  private depth = 0;

  constructor(
    private readonly config: CallTracerConfig = {},
    readonly meter = new TraceMeter(),
  ) {}

  /**
   * The tree that asset transfers are read from (every simulation builds one): only what moves
   * value or logs, with no gas, input nor output, and no frame that failed or that holds nothing
   * of that. Its size is then bounded by the value transfers and logs of the run, not its calls.
   */
  static forTransfers(meter: TraceMeter): CallTracer {
    const t = new CallTracer({ withLog: true }, meter);
    t.lean = true;
    return t;
  }

  get stop(): "trace_cap" | undefined {
    return this.meter.stop;
  }

  enter(c: CallStart): void {
    if (this.config.onlyTopCall && this.depth++ > 0) return;
    const gas = this.lean ? undefined : bigIntToHex(c.gas);
    const value = c.kind === "STATICCALL" ? undefined : bigIntToHex(c.value);
    let bytes = 1 + memberBytes("type", asciiBytes(c.kind)) + memberBytes("from", ADDRESS_BYTES) + memberBytes("to", ADDRESS_BYTES);
    if (value !== undefined) bytes += memberBytes("value", asciiBytes(value));
    if (gas !== undefined) bytes += memberBytes("gas", asciiBytes(gas)) + memberBytes("input", hexBytes(c.input.length));
    if (!this.meter.add(bytes)) return void this.stack.push(DROPPED);
    // The lean frames of `forTransfers` carry no gas nor input: nothing reads them.
    const json = (gas === undefined ? { type: c.kind, from: c.from, to: c.to } : { type: c.kind, from: c.from, gas, gasUsed: "0x0", to: c.to, input: bytesToHex(c.input) }) as CallFrameJson;
    if (value !== undefined) json.value = value;
    this.stack.push({ json, gas: c.gas, failed: false, bytes, logBytes: 0 });
  }

  exit(e: CallEnd): void {
    if (this.config.onlyTopCall && --this.depth > 0) return;
    const open = this.stack.pop();
    if (open === undefined || open === DROPPED || !this.end(open, e)) return;
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) this.root = open;
    else if (this.lean && !this.holdsTransfers(open)) this.meter.release(open.bytes);
    else if (parent !== DROPPED) this.attach(parent, open);
    if (open.failed) (this.failed ??= new Set()).add(open.json);
    if (open.logBytes > 0) this.logBytes.set(open.json, open.logBytes);
  }

  /** Whether a lean frame moves value or holds a log: a failed one never does (none of it happened). */
  private holdsTransfers(open: Open): boolean {
    const { json } = open;
    if (open.failed) return false;
    return (MOVES_VALUE.has(json.type) && json.value !== "0x0") || json.calls !== undefined || json.logs !== undefined;
  }

  /** Fills in how the frame ended, in geth's order of fields; false when that would pass the cap. */
  private end(open: Open, e: CallEnd): boolean {
    const json = open.json;
    const gasUsed = this.lean ? undefined : bigIntToHex(open.gas - e.gasLeft);
    const error = callError(e);
    const output = this.lean || e.output.length === 0 || (error !== undefined && e.status !== "reverted") ? undefined : e.output;
    let bytes = 0;
    if (gasUsed !== undefined) bytes += memberBytes("gasUsed", asciiBytes(gasUsed));
    if (error !== undefined) bytes += memberBytes("error", asciiBytes(error));
    if (output !== undefined) bytes += memberBytes("output", hexBytes(output.length));
    if (!this.count(open, bytes)) return false;
    if (gasUsed !== undefined) json.gasUsed = gasUsed;
    if (error === undefined) {
      if (output !== undefined) json.output = bytesToHex(output);
      return true;
    }
    open.failed = true;
    json.error = error;
    if (json.type === "CREATE" || json.type === "CREATE2") {
      delete json.to;
      open.bytes -= memberBytes("to", ADDRESS_BYTES);
      this.meter.release(memberBytes("to", ADDRESS_BYTES));
    }
    if (output === undefined) return true;
    json.output = bytesToHex(output);
    // No longer than the output, whose hex is counted already.
    const reason = revertReason(output);
    if (reason === undefined) return true;
    if (!this.count(open, memberBytes("revertReason", textBytes(reason)))) return false;
    json.revertReason = reason;
    return true;
  }

  private count(open: Open, bytes: number): boolean {
    if (!this.meter.add(bytes)) return false;
    open.bytes += bytes;
    return true;
  }

  /** A callee joins its caller's `calls` (its bytes were counted as it was built, plus a separator here). */
  private attach(parent: Open, child: Open): void {
    const bytes = (parent.json.calls === undefined ? memberBytes("calls", 1) : 0) + 1;
    this.meter.add(bytes);
    parent.bytes += child.bytes + bytes;
    (parent.json.calls ??= []).push(child.json);
  }

  log(log: Log, _depth: number, index: number): void {
    if (!this.config.withLog) return;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || top === DROPPED) return;
    const indexHex = bigIntToHex(BigInt(index)), position = bigIntToHex(BigInt(top.json.calls?.length ?? 0));
    const topics = objectBytes(log.topics.length * (TOPIC_BYTES + 1));
    let bytes = 2 + memberBytes("address", ADDRESS_BYTES) + memberBytes("topics", topics) + memberBytes("data", hexBytes(log.data.length)) + memberBytes("index", asciiBytes(indexHex)) + memberBytes("position", asciiBytes(position));
    if (top.json.logs === undefined) bytes += memberBytes("logs", 1);
    if (!this.count(top, bytes)) return;
    top.logBytes += bytes;
    (top.json.logs ??= []).push({ address: log.address, topics: log.topics, data: bytesToHex(log.data), index: indexHex, position });
  }

  /**
   * The tree, with the transaction's view of the top frame as geth shows it: its gas is the
   * transaction's gas limit and its gas used the receipt's. Logs of failed frames (and of every
   * frame below one) are dropped: they were never emitted. Undefined when the run ended before
   * its top frame did (the meter went over).
   */
  result(gasLimit: bigint, gasUsed: bigint): CallFrameJson | undefined {
    const root = this.root;
    if (root === undefined) return undefined;
    if (!this.lean) {
      this.meter.release(asciiBytes(root.json.gas) + asciiBytes(root.json.gasUsed));
      root.json.gas = bigIntToHex(gasLimit);
      root.json.gasUsed = bigIntToHex(gasUsed);
      this.meter.add(asciiBytes(root.json.gas) + asciiBytes(root.json.gasUsed));
    }
    if (this.config.withLog) this.clearFailedLogs(root.json, false);
    return root.json;
  }

  private clearFailedLogs(frame: CallFrameJson, parentFailed: boolean): void {
    const failed = parentFailed || (this.failed?.has(frame) ?? false);
    if (failed && frame.logs !== undefined) {
      this.meter.release(this.logBytes.get(frame) ?? 0);
      delete frame.logs;
    }
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
