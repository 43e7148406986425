import { createAddress } from "../evm/address.ts";
import { delegationTarget } from "../evm/delegation.ts";
import { DEFAULT_FORK } from "../evm/fork.ts";
import type { Inspector } from "../evm/inspector.ts";
import { precompileAddresses } from "../evm/precompiles/index.ts";
import { recoverAuthority } from "../evm/tx/authorization.ts";
import { MISS, type AccessListItem, type BlockEnv, type StateSource, type Tx, type TxResult } from "../evm/types.ts";
import type { Address } from "../primitives/hex.ts";
import { AccessListTracer } from "../trace/access-list.ts";
import { CallTracer, type CallFrameJson, type CallTracerConfig } from "../trace/call-tracer.ts";
import { Inspectors } from "../trace/multi.ts";
import { PrestateTracer, type PrestateConfig, type PrestateJson } from "../trace/prestate-tracer.ts";
import { StructLogger, type StructLogResult } from "../trace/struct-logger.ts";
import { CAPS } from "./caps.ts";
import { tooLarge } from "./errors.ts";
import { blockHash, currentBlock } from "./block.ts";
import type { CallOverrides } from "./call.ts";
import { ReplaySource, replayTx, withCode, type ReplayRecord } from "./replay.ts";
import type { Chain } from "./chain.ts";
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

export interface Traced {
  result: TxResult;
  /** The call tree with logs (always built: asset changes come from it). */
  calls?: CallFrameJson;
  /** The requested trace. */
  trace?: TraceResult;
  /** The accounts and slots the transaction names (geth's eth_createAccessList rules). */
  accessList: AccessListItem[];
}

/**
 * Executes a transaction with tracers attached: the call tree, the access list and, when asked,
 * one of geth's tracers. Commits nothing. A struct log longer than the sandbox's trace cap ends
 * with 413 `trace_too_large` (a `limit` of the request's own truncates silently, as geth does).
 */
export async function traceRun(source: LoadingSource, tx: Tx, block: BlockEnv, validate: boolean, meter: ExecMeter, req?: TraceRequest): Promise<Traced> {
  const calls = new CallTracer({ withLog: true });
  const access = new AccessListTracer(excludedFromAccessList(source, tx));
  const inspectors: Inspector[] = [calls, access];
  let asked: CallTracer | StructLogger | PrestateTracer | undefined;
  if (req?.type === "call") asked = new CallTracer(req);
  else if (req?.type === "opcodes") asked = new StructLogger({ ...req, maxSteps: Math.min(req.limit || Infinity, CAPS.traceSteps + 1) });
  else if (req?.type === "prestate") {
    if (!source.partial) await source.load([{ kind: "account", address: block.coinbase }, { kind: "account", address: tx.from }, ...(tx.to ? [{ kind: "code" as const, address: tx.to }] : [])]);
    asked = prestateTracer(source, tx, block, req);
  }
  if (asked !== undefined) inspectors.push(asked);
  const result = await execute(source, tx, block, validate, meter, new Inspectors(inspectors));
  if (!result.valid) return { result, accessList: [] };
  const out: Traced = { result, calls: calls.result(tx.gasLimit, result.gasUsed), accessList: access.list() };
  if (asked instanceof CallTracer) out.trace = asked.result(tx.gasLimit, result.gasUsed);
  else if (asked instanceof StructLogger) {
    if (asked.logs.length > CAPS.traceSteps) throw tooLarge("trace_too_large", `the opcode trace has more than ${CAPS.traceSteps} steps; trace a smaller transaction or pass a \`limit\``);
    out.trace = asked.result(result.gasUsed);
  } else if (asked instanceof PrestateTracer) {
    if (!source.partial) await source.load(asked.needs(source));
    out.trace = asked.result(source, result.changes);
  }
  return out;
}

function prestateTracer(source: LoadingSource, tx: Tx, block: BlockEnv, config: PrestateConfig): PrestateTracer {
  const sender = source.account(tx.from);
  const created = tx.to === null && sender !== MISS ? createAddress(tx.from, sender?.nonce ?? 0n) : undefined;
  const code = tx.to === null ? MISS : source.code(tx.to);
  const delegate = code === MISS ? undefined : delegationTarget(code);
  const authorities = tx.authorizationList.map(recoverAuthority).filter((a): a is Address => a !== undefined);
  return new PrestateTracer(config, tx, block.coinbase, created, authorities, delegate);
}

export function excludedFromAccessList(source: StateSource, tx: Tx): Set<Address> {
  const excluded = new Set<Address>(precompileAddresses(DEFAULT_FORK));
  excluded.add(tx.from);
  if (tx.to !== null) excluded.add(tx.to);
  else {
    const sender = source.account(tx.from);
    if (sender !== MISS) excluded.add(createAddress(tx.from, sender?.nonce ?? 0n));
  }
  return excluded;
}

/** debug_traceCall: one call traced at the latest state (with overrides); nothing is committed. */
export function traceCall(chain: Chain, meter: ExecMeter, req: TxRequest, trace: TraceRequest, o: CallOverrides = {}): Promise<Traced> {
  return readOnly(chain, meter.config, async (source, latest) => {
    const block = overrideBlock(latest, o.blockOverrides);
    await applyStateOverrides(source, o.stateOverrides);
    await source.load([{ kind: "account", address: req.from }]);
    const tx = buildTx(req, source.info(req.from)?.nonce ?? 0n, chain.id);
    return traceRun(source, tx, block, false, meter, trace);
  });
}

/**
 * debug_traceTransaction: replays a committed transaction from its record (what it read, in the
 * block it committed in) with the tracer asked for. Exact, though state is kept at the latest block.
 */
export async function traceCommitted(chain: Chain, meter: ExecMeter, replayJson: string, blockNumber: bigint, trace: TraceRequest): Promise<Traced> {
  const config: Config = meter.config;
  const record = await withCode(JSON.parse(replayJson) as ReplayRecord, async (a) => (await chain.load(a, { code: true, slots: [] })).code);
  const at = Number(config.genesisTime + blockNumber * config.blockTimeSeconds) * 1000;
  const block = currentBlock(chain.id, config, at).env;
  return traceRun(new ReplaySource(record, (n) => blockHash(chain.id, n)), replayTx(record), block, true, meter, trace);
}
