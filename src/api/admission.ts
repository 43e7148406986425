import type { Context } from "hono";
import { pricesOf } from "../billing/prices.ts";
import type { Admission, ReserveItem, Scope } from "../durable/ledger/protocol.ts";
import { RequestBudget } from "../exec/budget.ts";
import { Chain } from "../exec/chain.ts";
import { configOf, onClock } from "../exec/config.ts";
import type { RunContext } from "../exec/context.ts";
import { ServiceError } from "../exec/errors.ts";
import { fundOnce } from "../exec/faucet.ts";
import { faultOf } from "../exec/faults.ts";
import { needScope } from "../exec/scopes.ts";
import { pendingSettlements } from "../exec/settlements.ts";
import type { Address } from "../primitives/hex.ts";
import { errorFields, logEvent } from "../primitives/log.ts";
import { hashKey, projectOfKey } from "../records/api-key.ts";
import type { RunKind } from "../records/run.ts";
import type { AppEnv } from "./app-env.ts";

const BEARER = /^Bearer ([\x21-\x7e]{1,200})$/;

/** The key of `Authorization: Bearer <key>` (401 when absent or malformed: no I/O yet). */
export function bearer(c: Context<AppEnv>): string {
  const header = c.req.header("authorization");
  if (header === undefined) throw new ServiceError(401, "missing_api_key", "send your API key as `Authorization: Bearer <key>`");
  const m = BEARER.exec(header);
  if (m === null) throw new ServiceError(401, "invalid_api_key", "the Authorization header must be `Bearer <key>`");
  return m[1];
}

export interface AdmitAsk {
  secret: string;
  /** The scope the request needs (REST); JSON-RPC checks each method's. */
  scope?: Scope;
  /** Rate-limit tokens: 1, or a JSON-RPC batch's length. */
  items?: number;
  /** The runs it will make: kind and gas (whether the gas was asked for or is the cap). */
  runs?: { kind: RunKind; gas: bigint; gasDefaulted: boolean }[];
  /** Held beside the runs' reservation for what it may ask a network's upstream (upstreamHold). */
  upstream?: bigint;
  /** Accounts it may commit a send from (its key's own account: `"key"`). */
  senders?: (Address | "key")[];
  /** The chain its sends commit on, when not the project's (a persistent fork's). */
  chain?: Chain;
}

/**
 * Admission, in one round trip to the key's project's Ledger: the key (live, with the scope),
 * its rate, and the credit the request's runs may cost at most. Sets the request's run context
 * (chain, plan limits, budget); settlement is deferred past the answer (see `settleAfter`).
 */
export async function admit(c: Context<AppEnv>, ask: AdmitAsk): Promise<RunContext> {
  // Admitted already by a route around this one (a network's or a fork's): one admission a request.
  const admitted = c.get("run");
  if (admitted !== undefined) {
    if (ask.scope !== undefined) needScope(admitted.caller, ask.scope);
    return admitted;
  }
  const projectId = projectOfKey(ask.secret);
  if (projectId === undefined) throw new ServiceError(401, "invalid_api_key", "the API key is unknown or revoked");
  const env = c.env;
  const prices = pricesOf(env);
  const base = ask.chain?.base;
  const config = base === undefined ? configOf(env) : onClock(configOf(env), base.clock);
  const reserve: ReserveItem[] = (ask.runs ?? []).map((r) => RequestBudget.reserveItem(prices, r.kind, r.gas, r.gasDefaulted));
  if (ask.upstream !== undefined && ask.upstream > 0n) reserve.push({ fixed: String(ask.upstream), perMillionGas: "0", gas: "0", gasDefaulted: false });
  const ledger = env.LEDGERS.get(env.LEDGERS.idFromName(projectId));
  const senders = ask.senders?.filter((s): s is Address => s !== "key");
  // Settlements of earlier requests to this ledger ride along: applied in the admission's transaction.
  const ride = pendingSettlements.board(projectId);
  let a: Admission;
  try {
    a = (await ledger.admit({ keyHash: hashKey(ask.secret), scope: ask.scope, items: ask.items ?? 1, reserve, kind: ask.runs?.[0]?.kind, senders, sendsFromKey: ask.senders?.includes("key"), chainName: ask.chain?.prefix, settlements: ride?.settlements })) as Admission;
  } catch (e) {
    ride?.failed();
    throw e;
  }
  ride?.landed();
  if (!a.ok) throw new ServiceError(a.status, a.code, a.message, a.retryAfter === undefined ? {} : { "retry-after": String(a.retryAfter) });
  const key = a.key;
  // The plan may lower the gas cap, never raise it.
  if (key.maxGasPerRun !== null && key.maxGasPerRun < config.maxGas) config.maxGas = key.maxGasPerRun;
  const requestId = c.get("requestId");
  const defer = (w: Promise<unknown>) => c.executionCtx.waitUntil(w.catch((e) => logEvent("error", "deferred_work_failed", { requestId, projectId, ...errorFields(e) })));
  const run: RunContext = {
    env, config, caller: key, chain: ask.chain ?? new Chain(env, key.chainId), fault: faultOf(env.FAULT_INJECTION, c.req.header("x-fault")),
    budget: new RequestBudget(config, prices, { project: projectId, stub: ledger }, a.reservation), defer,
  };
  c.set("key", key);
  c.set("run", run);
  c.set("kind", kindsOf(ask));
  if (!key.funded) await fundOnce(run, ledger);
  return run;
}

/** What a request was admitted to run, for its log line: a run kind, several (a JSON-RPC batch), or a read. */
function kindsOf(ask: AdmitAsk): string {
  const kinds = [...new Set((ask.runs ?? []).map((r) => r.kind))];
  return kinds.length === 0 ? (ask.scope === "admin" ? "admin" : "read") : kinds.join(",");
}

/** The cost headers of a request that ran anything (JSON-RPC sums a batch; REST also has `cost` in its body). */
export function costHeaders(run: RunContext | undefined): Record<string, string> {
  if (run === undefined) return {};
  const cost = run.budget.cost();
  if (cost.executions === 0 && cost.charge === "0") return {};
  return { "x-edge-evm-gas-executed": cost.gasExecuted, "x-edge-evm-executions": String(cost.executions), "x-edge-evm-charge": cost.charge };
}
