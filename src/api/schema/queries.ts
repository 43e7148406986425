import * as v from "valibot";
import { SCOPES } from "../../durable/ledger/protocol.ts";
import type { RunKind, RunStatus } from "../../records/run.ts";
import { address, object } from "./fields.ts";
import { say } from "./parse.ts";

/** Query strings and path parameters, and the small bodies of the project's routes. */

/** Query parameters: strings, and no other parameter than these. */
function query<E extends v.ObjectEntries>(entries: E) {
  return object(entries, undefined, (allowed) => say("unknown_parameter", `unknown query parameter "{key}" (allowed: ${allowed})`));
}

// Records, so that a kind or status added to the run log must be added here too.
const KINDS: Record<RunKind, true> = { call: true, simulate: true, send: true, deploy: true, query: true };
const STATUSES: Record<RunStatus, true> = { success: true, reverted: true, halted: true, invalid: true, error: true };
const oneOf = <T extends string>(r: Record<T, true>, code: string, field: string) => v.picklist(Object.keys(r) as T[], say(code, `${field} must be one of ${Object.keys(r).join(", ")}`));

export const MAX_RUNS_LIMIT = 100;

export const runsQuery = query({
  limit: v.optional(v.pipe(v.string(), v.regex(/^([1-9][0-9]?|100)$/, say("invalid_limit", `limit must be an integer from 1 to ${MAX_RUNS_LIMIT}`)), v.transform(Number))),
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^c[0-9]{1,15}\.[1-9][0-9]{0,15}$/, say("invalid_cursor", "cursor must be the nextCursor of a previous page")),
      v.transform((c) => ({ createdAt: Number(c.slice(1, c.indexOf("."))), seq: Number(c.slice(c.indexOf(".") + 1)) })),
    ),
  ),
  kind: v.optional(oneOf(KINDS, "invalid_kind", "kind")),
  status: v.optional(oneOf(STATUSES, "invalid_status", "status")),
  contract: v.optional(address),
});

const time = v.pipe(
  v.string(),
  v.transform((raw) => (/^\d{1,13}$/.test(raw) ? Number(raw) : Date.parse(raw))),
  v.check((ms) => Number.isFinite(ms), say("invalid_time", "{field} must be an ISO 8601 date or epoch milliseconds")),
);

export const usageQuery = object(
  { from: v.optional(time), to: v.optional(time), granularity: v.optional(v.picklist(["hour", "day"], say("invalid_granularity", "granularity must be hour or day"))) },
  undefined,
  (allowed) => say("unknown_parameter", `unknown parameter "{key}" (allowed: ${allowed})`),
);

/** `?block=`: latest (the default), a number (decimal or 0x) or a 32-byte hash. */
export const blockQuery = query({
  block: v.optional(v.pipe(v.string(), v.regex(/^(latest|0x[0-9a-fA-F]{64}|0x[0-9a-fA-F]{1,16}|[0-9]{1,19})$/, say("invalid_block", "block must be latest, a block number or a 32-byte block hash")))),
});

export const slotParam = v.pipe(
  v.string(),
  v.regex(/^(0x[0-9a-fA-F]{1,64}|0|[1-9][0-9]{0,77})$/, say("invalid_slot", "the slot must be a 256-bit number, in decimal or 0x hex")),
  v.transform((s) => BigInt(s)),
  v.check((n) => n < 1n << 256n, say("invalid_slot", "the slot must be a 256-bit number, in decimal or 0x hex")),
);

export const keysBody = object({
  scopes: v.optional(v.pipe(v.array(v.picklist(SCOPES, say("invalid_scopes", `scopes must be a non-empty array of ${SCOPES.join(", ")}`)), say("invalid_scopes", `scopes must be a non-empty array of ${SCOPES.join(", ")}`)), v.minLength(1, say("invalid_scopes", `scopes must be a non-empty array of ${SCOPES.join(", ")}`)))),
});

const NETWORK = say("invalid_network", "network must be the name of a configured network (GET /v1/networks)");
export const forkBody = object(
  {
    network: v.string(NETWORK),
    block: v.optional(v.union([v.pipe(v.number(), v.safeInteger(), v.minValue(0)), v.string()], say("invalid_block", "block must be latest, a block number or a 32-byte block hash"))),
  },
  undefined,
  undefined,
  { network: NETWORK },
);
