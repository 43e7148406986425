import { bytesToBigInt } from "../primitives/bytes.ts";
import { bigIntToAddress, bytesToHex } from "../primitives/hex.ts";
import { keccak256 } from "../primitives/keccak.ts";

/** An `error` entry of a contract's JSON ABI. */
export interface AbiError {
  type: "error";
  name: string;
  inputs: { name?: string; type: string }[];
}

export interface DecodedCustomError {
  signature: string;
  name: string;
  args: Record<string, string | boolean>;
}

const STATIC = /^(u?int\d*|address|bool|bytes([1-9]|[12]\d|3[0-2]))$/;

/**
 * Decodes revert data as one of the ABI's custom errors: the 4-byte selector picks the error,
 * then its arguments are read (static types, string, bytes; other types are shown as raw words).
 * Undefined when no error of the ABI matches or the data is malformed.
 */
export function decodeCustomError(abi: AbiError[], data: Uint8Array): DecodedCustomError | undefined {
  if (data.length < 4) return undefined;
  const selector = bytesToHex(data.subarray(0, 4));
  for (const e of abi) {
    const signature = `${e.name}(${e.inputs.map((i) => i.type).join(",")})`;
    if (bytesToHex(keccak256(new TextEncoder().encode(signature)).subarray(0, 4)) !== selector) continue;
    const body = data.subarray(4);
    const args: Record<string, string | boolean> = {};
    try {
      e.inputs.forEach((input, i) => (args[input.name || `arg${i}`] = decodeArg(input.type, body, i)));
    } catch {
      return undefined;
    }
    return { signature, name: e.name, args };
  }
  return undefined;
}

function word(body: Uint8Array, index: number): bigint {
  if (32 * index + 32 > body.length) throw new Error("short");
  return bytesToBigInt(body.subarray(32 * index, 32 * index + 32));
}

function decodeArg(type: string, body: Uint8Array, i: number): string | boolean {
  const w = word(body, i);
  if (type === "address") return bigIntToAddress(w);
  if (type === "bool") return w !== 0n;
  if (type.startsWith("int")) {
    return (w >= 1n << 255n ? w - (1n << 256n) : w).toString();
  }
  if (STATIC.test(type)) return type.startsWith("bytes") ? bytesToHex(body.subarray(32 * i, 32 * i + Number(type.slice(5)))) : w.toString();
  if (type === "string" || type === "bytes") {
    if (w % 32n !== 0n || w + 32n > BigInt(body.length)) throw new Error("offset");
    const at = Number(w), len = bytesToBigInt(body.subarray(at, at + 32));
    if (BigInt(at + 32) + len > BigInt(body.length)) throw new Error("length");
    const raw = body.subarray(at + 32, at + 32 + Number(len));
    return type === "string" ? new TextDecoder().decode(raw) : bytesToHex(raw);
  }
  return `0x${w.toString(16).padStart(64, "0")}`;
}
