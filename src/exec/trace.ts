import { createAddress } from "../evm/address.ts";
import { delegationTarget } from "../evm/delegation.ts";
import { DEFAULT_FORK, type Fork } from "../evm/fork.ts";
import type { Inspector } from "../evm/inspector.ts";
import { precompileAddresses } from "../evm/precompiles/index.ts";
import { recoverAuthority } from "../evm/tx/authorization.ts";
import { MISS, type AccessListItem, type BlockEnv, type StateSource, type Tx, type TxExecuted, type TxResult } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import { AccessListTracer } from "../trace/access-list.ts";
import { CallTracer, type CallFrameJson, type CallTracerConfig, type TransferFrameJson } from "../trace/call-tracer.ts";
import { TraceMeter } from "../trace/meter.ts";
import { Inspectors } from "../trace/multi.ts";
import { PrestateTracer, type PrestateConfig, type PrestateJson } from "../trace/prestate-tracer.ts";
import { StructLogger, type StructLogResult } from "../trace/struct-logger.ts";
import { CAPS, capHit } from "./caps.ts";
import type { ServiceError } from "./errors.ts";
import { currentBlock } from "./block.ts";
import type { CallOverrides } from "./call.ts";
import { ReplaySource, replayTx, withCode, type ReplayRecord } from "./replay.ts";
import type { Chain } from "./chain.ts";
import type { ReadChain } from "./view.ts";
import type { Config } from "./config.ts";
import { execute, type LoadingSource } from "./execute.ts";
import type { ExecMeter } from "./meter.ts";
import { applyStateOverrides, overrideBlock } from "./overrides.ts";
import { readOnly } from "./read-only.ts";
import { buildTx, type TxRequest } from "./tx.ts";

/** A tracer as geth's debug_trace* names them (`opcodes`: the default struct logger). */
export type TraceRequest =
  | ({ type: "call" } & CallTracerConfig)
  | ({ type: "prestate" } & PrestateConfig)
  | { type: "opcodes"; enableMemory?: boolean; disableStack?: boolean; disableStorage?: boolean; enableReturnData?: boolean; limit?: number };

export type TraceResult = CallFrameJson | PrestateJson | StructLogResult;

/** What the tracers of one run produced: struct log steps, and JSON bytes (see TraceMeter). */
export interface TraceSize {
  steps: number;
  bytes: number;
}

export interface Traced {
  /** Halted with `trace_cap` when the tracers' output passed the meter's cap (then no trace). */
  result: TxResult;
  /** The calls that moved value or logged (always built: asset changes come from it). */
  calls?: TransferFrameJson;
  /** The requested trace. */
  trace?: TraceResult;
  /** The accounts and slots the transaction names (geth's eth_createAccessList rules). */
  accessList: AccessListItem[];
  size: TraceSize;
}

/** A meter with the service's cap, for one request's traces. */
export function traceMeter(): TraceMeter {
  return new TraceMeter(CAPS.traceBytes);
}

/**
 * Executes a transaction with tracers attached: the calls that move value, the access list and,
 * when asked, one of geth's tracers. Commits nothing. Every tracer counts what it builds on
 * `meter` (pass one meter to bound several runs together, or to watch the count live); past its
 * cap the run stops, and its result is halted with `trace_cap` (413 `trace_too_large`, see
 * capHit), whether the cap was passed while it ran or while its trace was put together. A
 * struct logger's own `limit` truncates silently, as geth does.
 */
export async function traceRun(source: LoadingSource, tx: Tx, block: BlockEnv, validate: boolean, exec: ExecMeter, req?: TraceRequest, meter = exec.trace ?? traceMeter()): Promise<Traced> {
  const before: TraceSize = { steps: meter.steps, bytes: meter.bytes };
  const size = (): TraceSize => ({ steps: meter.steps - before.steps, bytes: meter.bytes - before.bytes });
  const calls = CallTracer.forTransfers(meter);
  const access = new AccessListTracer(excludedFromAccessList(source, tx), meter);
  const inspectors: Inspector[] = [calls, access];
  let asked: CallTracer | StructLogger | PrestateTracer | undefined;
  if (req?.type === "call") asked = new CallTracer(req, meter);
  else if (req?.type === "opcodes") asked = new StructLogger({ ...req, maxSteps: req.limit || undefined }, meter);
  else if (req?.type === "prestate") {
    if (!source.partial) await source.load([{ kind: "account", address: block.coinbase }, { kind: "account", address: tx.from }, ...(tx.to ? [{ kind: "code" as const, address: tx.to }] : [])]);
    asked = prestateTracer(source, tx, block, req, meter);
  }
  if (asked !== undefined) inspectors.push(asked);
  const result = await execute(source, tx, block, validate, exec, new Inspectors(inspectors, meter));
  if (!result.valid) return { result, accessList: [], size: size() };
  const trace = meter.over ? undefined : await finish(asked, source, tx, result);
  if (meter.over) return { result: overCap(result), accessList: [], size: size() };
  return { result, calls: calls.result(tx.gasLimit, result.gasUsed), trace, accessList: access.list(), size: size() };
}

/** The asked tracer's answer once the run ended (undefined when it would pass the cap). */
async function finish(asked: CallTracer | StructLogger | PrestateTracer | undefined, source: LoadingSource, tx: Tx, result: TxExecuted): Promise<TraceResult | undefined> {
  if (asked instanceof CallTracer) return asked.result(tx.gasLimit, result.gasUsed);
  if (asked instanceof StructLogger) return asked.result(result.gasUsed);
  if (asked instanceof PrestateTracer) {
    if (!source.partial) await asked.load(source);
    return asked.meter.over ? undefined : asked.result(source, result.changes);
  }
  return undefined;
}

/** The 413 `trace_too_large` of a traced run whose trace passed the cap (the gas it used is still charged). */
export function traceCapHit(r: TxResult): ServiceError | undefined {
  return r.valid && r.status === "halted" && r.haltReason === "trace_cap" ? capHit(r) : undefined;
}

/** A run whose trace passed the cap after it ended is reported like one stopped while it ran (gas used kept). */
function overCap(r: TxExecuted): TxExecuted {
  if (r.status === "halted" && r.haltReason === "trace_cap") return r;
  return { ...r, status: "halted", haltReason: "trace_cap", output: new Uint8Array(0), logs: [], changes: [], createdAddress: undefined };
}

function prestateTracer(source: LoadingSource, tx: Tx, block: BlockEnv, config: PrestateConfig, meter: TraceMeter): PrestateTracer {
  const sender = source.account(tx.from);
  const created = tx.to === null && sender !== MISS ? createAddress(tx.from, sender?.nonce ?? 0n) : undefined;
  const code = tx.to === null ? MISS : source.code(tx.to);
  const delegate = code === MISS ? undefined : delegationTarget(code);
  const authorities = tx.authorizationList.map(recoverAuthority).filter((a): a is Address => a !== undefined);
  return new PrestateTracer(config, tx, block.coinbase, created, authorities, delegate, meter);
}

export function excludedFromAccessList(source: StateSource & { fork?: Fork }, tx: Tx): Set<Address> {
  const excluded = new Set<Address>(precompileAddresses(source.fork ?? DEFAULT_FORK));
  excluded.add(tx.from);
  if (tx.to !== null) excluded.add(tx.to);
  else {
    const sender = source.account(tx.from);
    if (sender !== MISS) excluded.add(createAddress(tx.from, sender?.nonce ?? 0n));
  }
  return excluded;
}

/** debug_traceCall: one call traced at the latest state (with overrides); nothing is committed. */
export function traceCall(chain: ReadChain, exec: ExecMeter, req: TxRequest, trace: TraceRequest, o: CallOverrides = {}, meter = exec.trace ?? traceMeter()): Promise<Traced> {
  return readOnly(chain, exec.config, async (source, latest) => {
    const block = overrideBlock(latest, o.blockOverrides);
    await applyStateOverrides(source, o.stateOverrides);
    await source.load([{ kind: "account", address: req.from }]);
    const tx = buildTx(req, source.info(req.from)?.nonce ?? 0n, chain.id);
    return traceRun(source, tx, block, false, exec, trace, meter);
  });
}

/**
 * debug_traceTransaction: replays a committed transaction from its record (what it read, in the
 * block it committed in) with the tracer asked for. Exact, though state is kept at the latest block.
 */
export async function traceCommitted(chain: Chain, exec: ExecMeter, replayJson: string, blockNumber: bigint, trace: TraceRequest, meter = exec.trace ?? traceMeter()): Promise<Traced> {
  const config: Config = exec.config;
  const record = await withCode(JSON.parse(replayJson) as ReplayRecord, async (a) => (await chain.load(a, { code: true, slots: [] })).code);
  const at = Number(config.genesisTime + blockNumber * config.blockTimeSeconds) * 1000;
  const block = currentBlock(chain.id, config, at).env;
  return traceRun(new ReplaySource(record, (n) => chain.hashOf(n), (ns) => chain.loadHashes(ns)), replayTx(record), block, true, exec, trace, meter);
}
