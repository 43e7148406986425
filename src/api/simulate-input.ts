import { badRequest } from "../exec/errors.ts";
import type { AccountOverride, BlockOverrides, StateOverrides } from "../exec/overrides.ts";
import type { TraceRequest } from "../exec/trace.ts";
import type { AccessListItem } from "../evm/types.ts";
import type { AbiError } from "../trace/abi-error.ts";
import { address, bytes, object, optionalAddress, optionalUint, uint, type Fields } from "./validate.ts";

/** The most accounts a simulation may override, and the most slots per account. */
const MAX_OVERRIDDEN_ACCOUNTS = 64;
const MAX_OVERRIDDEN_SLOTS = 1024;
const MAX_CODE_BYTES = 24_576;

export function stateOverrides(raw: unknown): StateOverrides | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("invalid_state_overrides", "stateOverrides must be an object keyed by address");
  const entries = Object.entries(raw);
  if (entries.length > MAX_OVERRIDDEN_ACCOUNTS) throw badRequest("invalid_state_overrides", `stateOverrides may name at most ${MAX_OVERRIDDEN_ACCOUNTS} accounts`);
  const out: StateOverrides = new Map();
  for (const [key, value] of entries) {
    const where = `stateOverrides["${key}"]`;
    const f = object(value, ["balance", "nonce", "code", "state", "stateDiff"], where);
    if (f.state !== undefined && f.stateDiff !== undefined) throw badRequest("invalid_state_overrides", `${where} may set state or stateDiff, not both`);
    const o: AccountOverride = {
      balance: optionalUint(f, "balance"),
      nonce: optionalUint(f, "nonce"),
      code: f.code === undefined ? undefined : bytes(f, "code", MAX_CODE_BYTES, { required: true, tooLargeCode: "code_too_large" }),
      state: slots(f.state, `${where}.state`),
      stateDiff: slots(f.stateDiff, `${where}.stateDiff`),
    };
    if (o.nonce !== undefined && o.nonce >= 1n << 64n) throw badRequest("invalid_quantity", `${where}.nonce must be below 2^64`);
    out.set(address(key, `stateOverrides key "${key}"`), o);
  }
  return out;
}

function slots(raw: unknown, where: string): Map<bigint, bigint> | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("invalid_state_overrides", `${where} must be an object of slot: value`);
  const entries = Object.entries(raw);
  if (entries.length > MAX_OVERRIDDEN_SLOTS) throw badRequest("invalid_state_overrides", `${where} may set at most ${MAX_OVERRIDDEN_SLOTS} slots`);
  return new Map(entries.map(([k, v]) => [uint(k, `${where} slot`), uint(v, `${where}["${k}"]`)]));
}

export function blockOverrides(raw: unknown): BlockOverrides | undefined {
  if (raw === undefined) return undefined;
  const f = object(raw, ["number", "time", "baseFee", "coinbase", "prevRandao", "gasLimit"], "blockOverrides");
  return { number: optionalUint(f, "number"), time: optionalUint(f, "time"), baseFee: optionalUint(f, "baseFee"), coinbase: optionalAddress(f, "coinbase"), prevRandao: optionalUint(f, "prevRandao"), gasLimit: optionalUint(f, "gasLimit") };
}

export function validation(raw: unknown): boolean | undefined {
  if (raw === undefined || typeof raw === "boolean") return raw;
  throw badRequest("invalid_validation", "validation must be true or false");
}

const TRACERS = { call: "call", callTracer: "call", prestate: "prestate", prestateTracer: "prestate", opcodes: "opcodes", structLogger: "opcodes" } as const;

/** `"call" | "prestate" | "opcodes"` or `{type, ...options}` (geth's tracer options). */
export function traceRequest(raw: unknown): TraceRequest | undefined {
  if (raw === undefined) return undefined;
  const f: Fields = typeof raw === "string" ? { type: raw } : object(raw, ["type", "withLog", "onlyTopCall", "diffMode", "disableCode", "disableStorage", "enableMemory", "disableStack", "enableReturnData", "limit"], "trace");
  const type = TRACERS[f.type as keyof typeof TRACERS];
  if (type === undefined) throw badRequest("invalid_trace", `trace.type must be one of ${Object.keys(TRACERS).join(", ")}`);
  const flag = (k: string) => {
    if (f[k] !== undefined && typeof f[k] !== "boolean") throw badRequest("invalid_trace", `trace.${k} must be true or false`);
    return f[k] as boolean | undefined;
  };
  if (type === "call") return { type, withLog: flag("withLog"), onlyTopCall: flag("onlyTopCall") };
  if (type === "prestate") return { type, diffMode: flag("diffMode"), disableCode: flag("disableCode"), disableStorage: flag("disableStorage") };
  const limit = optionalUint(f, "limit");
  return { type, enableMemory: flag("enableMemory"), disableStack: flag("disableStack"), disableStorage: flag("disableStorage"), enableReturnData: flag("enableReturnData"), limit: limit === undefined ? undefined : Number(limit > 1_000_000n ? 1_000_000n : limit) };
}

export function accessList(raw: unknown, where: string): AccessListItem[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > 256) throw badRequest("invalid_access_list", `${where} must be an array of at most 256 {address, storageKeys}`);
  return raw.map((item, i) => {
    const f = object(item, ["address", "storageKeys"], `${where}[${i}]`);
    const keys = f.storageKeys ?? [];
    if (!Array.isArray(keys) || keys.length > 1024) throw badRequest("invalid_access_list", `${where}[${i}].storageKeys must be an array of at most 1024 slots`);
    return { address: address(f.address, `${where}[${i}].address`), storageKeys: keys.map((k, j) => uint(k, `${where}[${i}].storageKeys[${j}]`)) };
  });
}

/** The `error` entries of a JSON ABI (other entries are ignored). */
export function abiErrors(raw: unknown): AbiError[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > 1024) throw badRequest("invalid_abi", "abi must be a JSON ABI array (at most 1024 entries)");
  const out: AbiError[] = [];
  for (const e of raw) {
    if (typeof e !== "object" || e === null || (e as Fields).type !== "error") continue;
    const { name, inputs } = e as Fields;
    if (typeof name !== "string" || !/^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/.test(name) || !Array.isArray(inputs) || inputs.length > 32) throw badRequest("invalid_abi", "an abi error entry needs a name and at most 32 inputs");
    out.push({
      type: "error",
      name,
      inputs: inputs.map((input) => {
        const t = (input as Fields)?.type, n = (input as Fields)?.name;
        if (typeof t !== "string" || !/^[a-z0-9[\]]{1,32}$/.test(t)) throw badRequest("invalid_abi", `abi error ${name}: every input needs a type`);
        return { type: t, name: typeof n === "string" ? n : undefined };
      }),
    });
  }
  return out;
}
