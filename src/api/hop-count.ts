import type { Env } from "../env.ts";

/**
 * Counts, for one request, the D1 queries and Durable Object calls made before its answer: the
 * load test (`npm run loadtest`) reads them from the `x-edge-evm-hops` header, so the figures it
 * prints are counted, not estimated. On only with the `HOP_COUNTS = "on"` var (never in
 * production); calls made after the answer (settlement, in waitUntil) are not in the header.
 */
export interface Hops {
  d1: number;
  objects: number;
}

export function countingEnv(env: Env): { env: Env; hops: Hops } {
  const hops: Hops = { d1: 0, objects: 0 };
  const db = counted(env.DB, () => hops.d1++, new Set(["first", "run", "all", "raw"]), new Set(["batch", "exec"]));
  const namespace = <T extends object>(ns: T): T =>
    new Proxy(ns, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== "get" && prop !== "getByName") return typeof v === "function" ? v.bind(target) : v;
        return (...args: unknown[]) => stubCounting((v as (...a: unknown[]) => object).apply(target, args), () => hops.objects++);
      },
    });
  return { env: { ...env, DB: db, ACCOUNTS: namespace(env.ACCOUNTS), LEDGERS: namespace(env.LEDGERS), RPC_STATE: namespace(env.RPC_STATE) }, hops };
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

/** A Durable Object stub whose RPC calls are each counted. */
function stubCounting(stub: object, count: () => void): object {
  return new Proxy(stub, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function" || prop === "then") return v;
      // An RPC method's own properties are remote too (`v.apply` would be a call named "apply"
      // carrying the stub as an argument): call it through its stub.
      return (...a: unknown[]) => (count(), (target as Record<PropertyKey, (...x: unknown[]) => unknown>)[prop](...a));
    },
  });
}
