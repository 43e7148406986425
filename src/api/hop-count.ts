import type { Env } from "../env.ts";

/**
 * Counts, for one request, the D1 queries and Durable Object calls made before its answer: the
 * load test (`npm run loadtest`) reads them from the `x-edge-evm-hops` header, so the figures it
 * prints are counted, not estimated. On only with the `HOP_COUNTS = "on"` var (never in
 * production). Calls started together (in flight at once) are one round trip. The calls a
 * request hands to waitUntil (settlement, the decider's bookkeeping) are listed apart: they are
 * started before the answer but not awaited by it.
 */
export interface Hops {
  d1: number;
  objects: number;
  /** Sequential round trips to objects: a call started while none was in flight begins one. */
  rounds: number;
  /** The object methods called, in order: which round trips a request makes. */
  calls: string[];
}

/** Methods only ever called past the answer (waitUntil): not on the request's path. */
const AFTER_ANSWER = new Set(["settle", "settleAll", "finished", "markFunded"]);

export function countingEnv(env: Env): { env: Env; hops: Hops } {
  const hops: Hops = { d1: 0, objects: 0, rounds: 0, calls: [] };
  let inFlight = 0;
  const call = <T>(name: string, made: () => Promise<T>): Promise<T> => {
    hops.calls.push(name);
    if (AFTER_ANSWER.has(name)) return made();
    hops.objects++;
    if (inFlight++ === 0) hops.rounds++;
    return made().finally(() => void inFlight--);
  };
  const db = counted(env.DB, () => hops.d1++, new Set(["first", "run", "all", "raw"]), new Set(["batch", "exec"]));
  const namespace = <T extends object>(ns: T): T =>
    new Proxy(ns, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== "get" && prop !== "getByName") return typeof v === "function" ? v.bind(target) : v;
        return (...args: unknown[]) => stubCounting((v as (...a: unknown[]) => object).apply(target, args), call);
      },
    });
  return { env: { ...env, DB: db, ACCOUNTS: namespace(env.ACCOUNTS), LEDGERS: namespace(env.LEDGERS), RPC_STATE: namespace(env.RPC_STATE) }, hops };
}

/** The header's value: `d1=0;objects=2;rounds=2;path=admit+load;after=settle`. */
export function hopsHeader(h: Hops): string {
  const after = (c: string) => AFTER_ANSWER.has(c);
  return `d1=${h.d1};objects=${h.objects};rounds=${h.rounds};path=${h.calls.filter((c) => !after(c)).join("+")};after=${h.calls.filter(after).join("+")}`;
}

/** A D1 binding whose statements count each query they run. */
function counted(db: D1Database, count: () => void, statementCalls: Set<string>, dbCalls: Set<string>): D1Database {
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (typeof v !== "function") return v;
        if (prop === "bind") return (...a: unknown[]) => statement((v as (...x: unknown[]) => D1PreparedStatement).apply(target, a));
        if (statementCalls.has(String(prop))) return (...a: unknown[]) => (count(), (v as (...x: unknown[]) => unknown).apply(target, a));
        return v.bind(target);
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function") return v;
      if (prop === "prepare") return (q: string) => statement(target.prepare(q));
      if (dbCalls.has(String(prop))) return (...a: unknown[]) => (count(), (v as (...x: unknown[]) => unknown).apply(target, a));
      return v.bind(target);
    },
  });
}

type Call = <T>(name: string, made: () => Promise<T>) => Promise<T>;

/** A Durable Object stub whose RPC calls are each counted. */
function stubCounting(stub: object, call: Call): object {
  return new Proxy(stub, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function" || prop === "then") return v;
      // An RPC method's own properties are remote too (`v.apply` would be a call named "apply"
      // carrying the stub as an argument): call it through its stub.
      return (...a: unknown[]) => call(String(prop), () => (target as Record<PropertyKey, (...x: unknown[]) => Promise<unknown>>)[prop](...a));
    },
  });
}
