import * as v from "valibot";
import type { AccountOverride, BlockOverrides, StateOverrides } from "../../exec/overrides.ts";
import type { TraceRequest } from "../../exec/trace.ts";
import type { AccessListItem } from "../../evm/types.ts";
import type { Address } from "../../primitives/hex.ts";
import { address, bytes, flag, keyed, object, quantity, uint64 } from "./fields.ts";
import { say } from "./parse.ts";

/** What a simulation may pretend (state, block), trace and pre-warm: shared by REST and JSON-RPC. */

/** The most accounts a simulation may override, and the most slots per account. */
const MAX_OVERRIDDEN_ACCOUNTS = 64;
const MAX_OVERRIDDEN_SLOTS = 1024;
const MAX_CODE_BYTES = 24_576;

const STATE = "invalid_state_overrides";
const slotKey = v.pipe(v.string(), v.regex(/^(0x[0-9a-fA-F]{1,64}|0|[1-9][0-9]{0,77})$/, say("invalid_quantity", "{field} must be a slot: a decimal or 0x hex number")), v.check((k) => BigInt(k) < 1n << 256n, say("invalid_quantity", "{field} must fit in 256 bits")));
const slots = v.pipe(
  keyed(slotKey, quantity, MAX_OVERRIDDEN_SLOTS, say(STATE, "{field} must be an object of slot: value"), say(STATE, `{field} may set at most ${MAX_OVERRIDDEN_SLOTS} slots`)),
  v.transform((o) => new Map(Object.entries(o).map(([k, x]) => [BigInt(k), x]))),
);

const accountOverride = v.pipe(
  object({ balance: v.optional(quantity), nonce: v.optional(uint64), code: v.optional(bytes(MAX_CODE_BYTES, "code_too_large")), state: v.optional(slots), stateDiff: v.optional(slots) }),
  v.check((o) => o.state === undefined || o.stateDiff === undefined, say(STATE, "{field} may set state or stateDiff, not both")),
);

export const stateOverridesSchema = v.pipe(
  keyed(address as v.GenericSchema<string, Address>, accountOverride, MAX_OVERRIDDEN_ACCOUNTS, say(STATE, "{field} must be an object keyed by address"), say(STATE, `{field} may name at most ${MAX_OVERRIDDEN_ACCOUNTS} accounts`)),
  v.transform((o): StateOverrides => new Map(Object.entries(o) as [Address, AccountOverride][])),
  v.metadata({ description: "geth's state override set: per address, balance, nonce, code, and state (replaces the storage) or stateDiff (patches slots)" }),
);

export const blockOverridesSchema = v.pipe(
  object({ number: v.optional(quantity), time: v.optional(quantity), baseFee: v.optional(quantity), coinbase: v.optional(address), prevRandao: v.optional(quantity), gasLimit: v.optional(quantity) }),
  v.transform((o): BlockOverrides => o),
);

const ACCESS = "invalid_access_list";
const storageKeys = v.pipe(v.unknown(), v.check((x) => Array.isArray(x) && x.length <= 1024, say(ACCESS, "{field} must be an array of at most 1024 slots")), v.array(quantity));
export const accessListSchema = v.pipe(
  v.unknown(),
  v.check((x) => Array.isArray(x) && x.length <= 256, say(ACCESS, "{field} must be an array of at most 256 {address, storageKeys}")),
  v.array(object({ address, storageKeys: v.optional(storageKeys) }, undefined, undefined, { address: say("invalid_address", "{field} must be 0x followed by 40 hex digits") })),
  v.transform((items): AccessListItem[] => items.map((i) => ({ address: i.address, storageKeys: i.storageKeys ?? [] }))),
);

const TRACERS = { call: "call", callTracer: "call", prestate: "prestate", prestateTracer: "prestate", opcodes: "opcodes", structLogger: "opcodes" } as const;
const NAMES = Object.keys(TRACERS) as (keyof typeof TRACERS)[];
const TRACER = say("invalid_trace", `trace.type must be one of ${NAMES.join(", ")}`);
const traceFlag = v.optional(flag("invalid_trace"));

/**
 * `"call" | "prestate" | "opcodes"` (or geth's names) or `{type, ...options}` (geth's tracer
 * options). A name is read as `{type}`, so a bad option is refused by its own name.
 */
export const traceSchema = v.pipe(
  v.unknown(),
  v.transform((x) => (typeof x === "string" ? { type: x } : x)),
  object(
    { type: v.picklist(NAMES, TRACER), withLog: traceFlag, onlyTopCall: traceFlag, diffMode: traceFlag, disableCode: traceFlag, disableStorage: traceFlag, enableMemory: traceFlag, disableStack: traceFlag, enableReturnData: traceFlag, limit: v.optional(quantity) },
    TRACER,
    undefined,
    { type: TRACER },
  ),
  v.metadata({ description: 'a tracer by name ("call", "prestate", "opcodes" or geth\'s callTracer, prestateTracer, structLogger) or {type, ...geth\'s options}' }),
  v.transform((f): TraceRequest => {
    const type = TRACERS[f.type];
    if (type === "call") return { type, withLog: f.withLog, onlyTopCall: f.onlyTopCall };
    if (type === "prestate") return { type, diffMode: f.diffMode, disableCode: f.disableCode, disableStorage: f.disableStorage };
    const limit = f.limit === undefined ? undefined : Number(f.limit > 1_000_000n ? 1_000_000n : f.limit);
    return { type, enableMemory: f.enableMemory, disableStack: f.disableStack, disableStorage: f.disableStorage, enableReturnData: f.enableReturnData, limit };
  }),
);
