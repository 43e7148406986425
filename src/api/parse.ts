import { hexToBytes, isAddress, type Address } from "../primitives/hex.ts";
import { badRequest } from "./errors.ts";

/** Request-body readers: each rejects wrong types and shapes with a code naming the field. */
export type Body = Record<string, unknown>;

export function objectBody(value: unknown, allowed: string[]): Body {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest("invalid_body", "the body must be a JSON object");
  for (const k of Object.keys(value)) if (!allowed.includes(k)) throw badRequest("unknown_field", `unknown field "${k}" (allowed: ${allowed.join(", ")})`);
  return value as Body;
}

export function address(b: Body, field: string): Address {
  const v = b[field];
  if (!isAddress(v)) throw badRequest("invalid_address", `${field} must be a 0x-prefixed 20-byte hex address`);
  return v.toLowerCase() as Address;
}

export function optionalAddress(b: Body, field: string): Address | undefined {
  return b[field] === undefined ? undefined : address(b, field);
}

export function bytes(b: Body, field: string, maxBytes: number, required = true): Uint8Array {
  const v = b[field];
  if (v === undefined && !required) return new Uint8Array(0);
  if (typeof v !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw badRequest("invalid_hex", `${field} must be 0x-prefixed hex with an even number of digits`);
  if ((v.length - 2) / 2 > maxBytes) throw badRequest("too_large", `${field} is over ${maxBytes} bytes`);
  return hexToBytes(v);
}

/** A non-negative integer given as a decimal string, a 0x hex string or a safe JSON number. */
export function quantity(b: Body, field: string, max: bigint): bigint | undefined {
  const v = b[field];
  if (v === undefined) return undefined;
  let n: bigint;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
  else if (typeof v === "string" && /^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(v)) n = BigInt(v);
  else throw badRequest("invalid_quantity", `${field} must be a non-negative integer (number, decimal string or 0x hex)`);
  if (n > max) throw badRequest("invalid_quantity", `${field} must be at most ${max}`);
  return n;
}
