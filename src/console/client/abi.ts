import { bigIntToBytes, concatBytes } from "../../primitives/bytes.ts";
import { bytesToHex, hexToBytes, isAddress, isHex, type Hex } from "../../primitives/hex.ts";
import { keccak256 } from "../../primitives/keccak.ts";

/** The parts of a JSON ABI entry the console reads. */
export interface AbiEntry {
  type: string;
  name?: string;
  inputs?: { name?: string; type: string }[];
  stateMutability?: string;
}

/** A JSON ABI as pasted: an array of entries (or an artifact with an `abi` field). */
export function parseAbi(text: string): AbiEntry[] {
  const json: unknown = JSON.parse(text);
  const abi = Array.isArray(json) ? json : (json as { abi?: unknown })?.abi;
  if (!Array.isArray(abi) || abi.some((e) => typeof e !== "object" || e === null || typeof e.type !== "string")) throw new Error("an ABI is a JSON array of entries with a type");
  return abi as AbiEntry[];
}

export function signature(e: AbiEntry): string {
  return `${e.name ?? ""}(${(e.inputs ?? []).map((i) => i.type).join(",")})`;
}

export function selector(sig: string): Hex {
  return bytesToHex(keccak256(new TextEncoder().encode(sig)).subarray(0, 4));
}

export const functions = (abi: AbiEntry[]) => abi.filter((e) => e.type === "function" && e.name !== undefined);

/** Signatures by their selector (functions, 4 bytes) and by their topic (events, 32 bytes), for the ABIs given. */
export function abiNames(abis: AbiEntry[][]): Map<Hex, string> {
  const out = new Map<Hex, string>();
  for (const abi of abis) {
    for (const f of functions(abi)) out.set(selector(signature(f)), signature(f));
    for (const e of abi.filter((e) => e.type === "event" && e.name !== undefined)) out.set(bytesToHex(keccak256(new TextEncoder().encode(signature(e)))), signature(e));
  }
  return out;
}

/** Calldata of `f` with its arguments given as text (arrays as JSON, e.g. `[1, 2]`). */
export function encodeCall(f: AbiEntry, args: string[]): Hex {
  const types = (f.inputs ?? []).map((i) => i.type);
  if (args.length !== types.length) throw new Error(`${signature(f)} takes ${types.length} arguments`);
  const values = args.map((a, i) => (/\[\d*\]$/.test(types[i]) ? JSON.parse(a) : a));
  return bytesToHex(concatBytes(hexToBytes(selector(signature(f))), encodeParams(types, values)));
}

const WORD = 32;

function isDynamic(type: string): boolean {
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) return array[2] === "" || isDynamic(array[1]);
  return type === "bytes" || type === "string";
}

/** ABI head/tail encoding of a list of values. */
function encodeParams(types: string[], values: unknown[]): Uint8Array {
  const parts = types.map((t, i) => encodeValue(t, values[i]));
  const headSize = types.reduce((n, t, i) => n + (isDynamic(t) ? WORD : parts[i].length), 0);
  const heads: Uint8Array[] = [], tails: Uint8Array[] = [];
  let offset = headSize;
  types.forEach((t, i) => {
    if (!isDynamic(t)) return heads.push(parts[i]);
    heads.push(bigIntToBytes(BigInt(offset)));
    tails.push(parts[i]);
    offset += parts[i].length;
  });
  return concatBytes(...heads, ...tails);
}

function padRight(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(b.length / WORD) * WORD);
  out.set(b);
  return out;
}

function integer(raw: unknown, type: string): bigint {
  const text = String(raw).trim();
  if (!/^-?(\d+|0x[0-9a-fA-F]+)$/.test(text)) throw new Error(`${type}: ${text} is not an integer`);
  return text.startsWith("-") ? -BigInt(text.slice(1)) : BigInt(text);
}

function encodeValue(type: string, v: unknown): Uint8Array {
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) {
    if (!Array.isArray(v)) throw new Error(`${type} needs a JSON array`);
    if (array[2] !== "" && v.length !== Number(array[2])) throw new Error(`${type} needs ${array[2]} elements`);
    const body = encodeParams(v.map(() => array[1]), v);
    return array[2] === "" ? concatBytes(bigIntToBytes(BigInt(v.length)), body) : body;
  }
  const m = /^(u?)int(\d*)$/.exec(type);
  if (m !== null) {
    const bits = BigInt(m[2] || 256), n = integer(v, type);
    const [min, max] = m[1] === "u" ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
    if (n < min || n > max) throw new Error(`${type}: ${n} is out of range`);
    return bigIntToBytes(n < 0n ? (1n << 256n) + n : n);
  }
  if (type === "address") {
    if (!isAddress(String(v).trim())) throw new Error(`address: ${String(v)} is not 0x and 40 hex digits`);
    return bigIntToBytes(BigInt(String(v).trim()));
  }
  if (type === "bool") {
    if (v !== "true" && v !== "false" && v !== true && v !== false) throw new Error("bool must be true or false");
    return bigIntToBytes(v === "true" || v === true ? 1n : 0n);
  }
  if (type === "string") return encodeBytes(new TextEncoder().encode(String(v)));
  if (!isHex(String(v)) || String(v).length % 2 !== 0) throw new Error(`${type}: ${String(v)} is not 0x hex with whole bytes`);
  const b = hexToBytes(String(v));
  if (type === "bytes") return encodeBytes(b);
  const fixed = /^bytes([1-9]|[12]\d|3[0-2])$/.exec(type);
  if (fixed === null) throw new Error(`type ${type} is not supported here: give the calldata as hex instead`);
  if (b.length !== Number(fixed[1])) throw new Error(`${type} needs ${fixed[1]} bytes`);
  return padRight(b);
}

function encodeBytes(b: Uint8Array): Uint8Array {
  return concatBytes(bigIntToBytes(BigInt(b.length)), padRight(b));
}
