import { hexToBytes, isAddress, type Address } from "../primitives/hex.ts";
import { keccak256 } from "../primitives/keccak.ts";
import { badRequest, tooLarge } from "../exec/errors.ts";

/**
 * Strict readers of request input: each rejects a wrong type, shape or size with a stable code
 * naming the field. Numbers arrive as JSON numbers (safe integers), decimal strings or 0x hex.
 */
export type Fields = Record<string, unknown>;

const MAX_UINT256 = (1n << 256n) - 1n;

export function object(value: unknown, allowed: readonly string[], what = "the body"): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest("invalid_body", `${what} must be a JSON object`);
  for (const k of Object.keys(value)) if (!allowed.includes(k)) throw badRequest("unknown_field", `unknown field "${k}" in ${what} (allowed: ${allowed.join(", ")})`);
  return value as Fields;
}

export function address(raw: unknown, field: string): Address {
  if (!isAddress(raw)) throw badRequest("invalid_address", `${field} must be 0x followed by 40 hex digits`);
  const lower = raw.slice(2).toLowerCase(), upper = raw.slice(2).toUpperCase();
  if (raw.slice(2) !== lower && raw.slice(2) !== upper && raw !== checksummed(lower)) {
    throw badRequest("invalid_address_checksum", `${field} has mixed case but not the EIP-55 checksum; send it all lowercase or correctly checksummed`);
  }
  return `0x${lower}`;
}

/** EIP-55: a hex digit is uppercase when the matching nibble of keccak(lowercase address) is >= 8. */
function checksummed(lowerNoPrefix: string): string {
  const hash = keccak256(new TextEncoder().encode(lowerNoPrefix));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? lowerNoPrefix[i].toUpperCase() : lowerNoPrefix[i];
  }
  return out;
}

export function optionalAddress(f: Fields, field: string): Address | undefined {
  return f[field] === undefined ? undefined : address(f[field], field);
}

export function requiredAddress(f: Fields, field: string): Address {
  if (f[field] === undefined) throw badRequest("missing_field", `${field} is required`);
  return address(f[field], field);
}

/** 0x-prefixed hex with an even number of digits, at most `maxBytes` (413 above). */
export function bytes(f: Fields, field: string, maxBytes: number, opts: { required: boolean; tooLargeCode: string }): Uint8Array {
  const v = f[field];
  if (v === undefined) {
    if (opts.required) throw badRequest("missing_field", `${field} is required`);
    return new Uint8Array(0);
  }
  if (typeof v !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw badRequest("invalid_hex", `${field} must be 0x-prefixed hex with an even number of digits`);
  if ((v.length - 2) / 2 > maxBytes) throw tooLarge(opts.tooLargeCode, `${field} is ${(v.length - 2) / 2} bytes; the cap is ${maxBytes}`);
  return hexToBytes(v);
}

/** A 256-bit unsigned integer: JSON safe integer, decimal string or 0x hex string. */
export function uint(raw: unknown, field: string): bigint {
  let n: bigint;
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) n = BigInt(raw);
  else if (typeof raw === "string" && /^(0x[0-9a-fA-F]{1,64}|0|[1-9][0-9]{0,77})$/.test(raw)) n = BigInt(raw);
  else throw badRequest("invalid_quantity", `${field} must be a non-negative integer: a JSON number, a decimal string or a 0x hex string`);
  if (n > MAX_UINT256) throw badRequest("invalid_quantity", `${field} must fit in 256 bits`);
  return n;
}

export function optionalUint(f: Fields, field: string): bigint | undefined {
  return f[field] === undefined ? undefined : uint(f[field], field);
}

/**
 * The gas limit of a run: the request's, at most the service's cap; the cap when absent
 * (`defaulted`: the plan's own cap replaces it once the key is known).
 */
export function gasOf(f: Fields, cap: bigint): { gas: bigint; defaulted: boolean } {
  const g = optionalUint(f, "gas");
  if (g === undefined) return { gas: cap, defaulted: true };
  if (g > cap) throw badRequest("gas_limit_too_high", `gas must be at most ${cap}`);
  return { gas: g, defaulted: false };
}
