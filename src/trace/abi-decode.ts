import type { Abi, AbiEvent, AbiFunction, AbiParameter } from "viem";
import { decodeAbiParameters, decodeEventLog, formatAbiItem, toEventSelector, toFunctionSelector } from "viem/utils";
import { bytesToHex, type Hex } from "../primitives/hex.ts";

/**
 * What a run did, read through the contract's JSON ABI a request gives: custom errors, events and
 * function calls (arguments and return values), with every ABI type (tuples, fixed and dynamic
 * arrays, nested dynamic types) decoded by viem's ABI decoder. Values become JSON: integers as
 * decimal strings, addresses lowercase, bytes as hex, tuples as objects keyed by component name
 * (or index), arrays as arrays. Malformed data decodes to nothing rather than failing a run's answer.
 */

type AbiError = Extract<Abi[number], { type: "error" }>;

export type AbiJson = string | boolean | AbiJson[] | { [name: string]: AbiJson };

/** A decoded error, event or call: its canonical signature, name and named arguments. */
export interface Decoded {
  signature: string;
  name: string;
  args: Record<string, AbiJson>;
}

/** A decoded call, with what it returned when the call succeeded and the output decodes. */
export interface DecodedCall extends Decoded {
  result?: Record<string, AbiJson>;
}

/** The ABI's selectors, computed once per request: 4 bytes for functions and errors, a topic for events. */
export interface AbiIndex {
  functions: Map<string, AbiFunction>;
  errors: Map<string, AbiError>;
  events: Map<string, AbiEvent>;
}

export function indexAbi(abi: Abi): AbiIndex {
  const index: AbiIndex = { functions: new Map(), errors: new Map(), events: new Map() };
  for (const item of abi) {
    if (item.type === "function") index.functions.set(toFunctionSelector(item), item);
    else if (item.type === "error") index.errors.set(toFunctionSelector(formatAbiItem(item)), item);
    else if (item.type === "event" && !item.anonymous) index.events.set(toEventSelector(item), item);
  }
  return index;
}

/** One value as JSON, by its ABI type. */
function json(param: AbiParameter, value: unknown): AbiJson {
  const array = /^(.*)\[\d*\]$/.exec(param.type);
  // An indexed event argument of a dynamic type is only its hash, in the topic.
  if (typeof value === "string" && (array !== null || param.type === "tuple")) return value;
  if (array !== null) return (value as unknown[]).map((x) => json({ ...param, type: array[1] }, x));
  if (param.type === "tuple") return named((param as { components: readonly AbiParameter[] }).components, value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value;
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (param.type === "address") return (value as string).toLowerCase();
  return String(value);
}

/** Values in ABI order (viem gives tuples with named components as objects) as an object keyed by name, or `arg<i>`. */
function named(params: readonly AbiParameter[], values: unknown): Record<string, AbiJson> {
  const out: Record<string, AbiJson> = {};
  params.forEach((p, i) => {
    const key = p.name !== undefined && p.name !== "" ? p.name : `arg${i}`;
    const raw = Array.isArray(values) ? values[i] : (values as Record<string, unknown>)[p.name !== undefined && p.name !== "" ? p.name : i];
    out[key] = json(p, raw);
  });
  return out;
}

const signatureOf = (item: AbiFunction | AbiError | AbiEvent) => formatAbiItem(item);

function decodeParams(params: readonly AbiParameter[], data: Hex): Record<string, AbiJson> | undefined {
  try {
    return named(params, decodeAbiParameters(params, data));
  } catch {
    return undefined;
  }
}

/** Revert data as one of the ABI's custom errors; undefined when none matches or the data is malformed. */
export function decodeError(index: AbiIndex, data: Uint8Array): Decoded | undefined {
  if (data.length < 4) return undefined;
  const hex = bytesToHex(data);
  const item = index.errors.get(hex.slice(0, 10));
  if (item === undefined) return undefined;
  const args = decodeParams(item.inputs, `0x${hex.slice(10)}`);
  return args === undefined ? undefined : { signature: signatureOf(item), name: item.name, args };
}

/** Calldata as one of the ABI's functions, with its return value when `output` is given and decodes. */
export function decodeCall(index: AbiIndex, input: Uint8Array | Hex, output?: Uint8Array | Hex): DecodedCall | undefined {
  const hex = typeof input === "string" ? input : bytesToHex(input);
  if (hex.length < 10) return undefined;
  const item = index.functions.get(hex.slice(0, 10).toLowerCase());
  if (item === undefined) return undefined;
  const args = decodeParams(item.inputs, `0x${hex.slice(10)}`);
  if (args === undefined) return undefined;
  const out = output === undefined ? undefined : typeof output === "string" ? output : bytesToHex(output);
  const result = out === undefined || out === "0x" || item.outputs.length === 0 ? undefined : decodeParams(item.outputs, out);
  return { signature: signatureOf(item), name: item.name, args, ...(result === undefined ? {} : { result }) };
}

/** A log as one of the ABI's (non-anonymous) events; undefined when none matches or it does not decode. */
export function decodeEvent(index: AbiIndex, topics: readonly Hex[], data: Uint8Array): Decoded | undefined {
  if (topics.length === 0) return undefined;
  const item = index.events.get(topics[0].toLowerCase());
  if (item === undefined) return undefined;
  try {
    const { args } = decodeEventLog({ abi: [item], topics: topics as [Hex, ...Hex[]], data: bytesToHex(data), strict: true });
    return { signature: signatureOf(item), name: item.name, args: named(item.inputs, args) };
  } catch {
    return undefined;
  }
}
