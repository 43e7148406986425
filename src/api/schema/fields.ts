import * as v from "valibot";
import { hexToBytes, type Address } from "../../primitives/hex.ts";
import { keccak256 } from "../../primitives/keccak.ts";
import { say } from "./parse.ts";

/**
 * The fields every request shares, as schemas: each refuses a wrong type, shape or size with a
 * stable code naming the field, and turns what it accepts into what the service uses (an
 * `Address` in lowercase, bytes, a `bigint`). Their JSON Schema (the OpenAPI document) describes
 * the input: the pattern and length of a string, the range of a number.
 */

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * A JSON object with exactly these fields (`unknown_field` for any other); `invalid_body` for
 * anything else, or `notObject` (a code and text) where a field has a code of its own. A required
 * field that is absent is `missing_field`, or what `missing` says for it (the code its field
 * always had).
 */
export function object<E extends v.ObjectEntries>(
  entries: E,
  notObject = say("invalid_body", "{field} must be a JSON object"),
  unknown = (allowed: string) => say("unknown_field", `unknown field "{key}" in {parent} (allowed: ${allowed})`),
  missing: Partial<Record<keyof E, string>> = {},
) {
  const unknownMessage = unknown(Object.keys(entries).join(", "));
  const message = (issue: v.BaseIssue<unknown>) => {
    if (issue.expected === "never") return unknownMessage;
    const key = issue.path?.at(-1)?.key as keyof E | undefined;
    return (key !== undefined ? missing[key] : undefined) ?? say("missing_field", "{path} is required");
  };
  return v.pipe(v.unknown(), v.check(isObject, notObject), v.strictObject(entries, message));
}

/** Objects keyed by any string, with at most `max` keys (checked before their values). */
export function keyed<K extends v.GenericSchema<string, string>, V extends v.GenericSchema>(key: K, value: V, max: number, notObject: string, tooMany: string) {
  return v.pipe(v.unknown(), v.check(isObject, notObject), v.check((o) => Object.keys(o as object).length <= max, tooMany), v.record(key, value));
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** EIP-55: a hex digit is uppercase when the matching nibble of keccak(lowercase address) is >= 8. */
function checksumOk(raw: string): boolean {
  const body = raw.slice(2), lower = body.toLowerCase();
  if (body === lower || body === body.toUpperCase()) return true;
  const hash = keccak256(new TextEncoder().encode(lower));
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    if (body[i] !== (nibble >= 8 ? lower[i].toUpperCase() : lower[i])) return false;
  }
  return true;
}

/** An address: lowercase, uppercase or EIP-55 checksummed; lowercased. */
export const address = v.pipe(
  v.string(say("invalid_address", "{field} must be 0x followed by 40 hex digits")),
  v.regex(ADDRESS, say("invalid_address", "{field} must be 0x followed by 40 hex digits")),
  v.check(checksumOk, say("invalid_address_checksum", "{field} has mixed case but not the EIP-55 checksum; send it all lowercase or correctly checksummed")),
  v.transform((a) => a.toLowerCase() as Address),
  v.metadata({ example: "0x6c33eaffcfe9ef0849fbcede8e2bc9619bed8110" }),
);

const HEX = /^0x([0-9a-fA-F]{2})*$/;

/** `0x` hex with an even number of digits, at most `maxBytes` (413 `tooLargeCode` above); bytes. */
export function bytes(maxBytes: number, tooLargeCode: string) {
  return v.pipe(
    v.string(say("invalid_hex", "{field} must be 0x-prefixed hex with an even number of digits")),
    v.regex(HEX, say("invalid_hex", "{field} must be 0x-prefixed hex with an even number of digits")),
    v.maxLength(2 + 2 * maxBytes, (issue) => say(tooLargeCode, `{field} is ${(Number(issue.received) - 2) / 2} bytes; the cap is ${maxBytes}`)),
    v.transform(hexToBytes),
  );
}

const MAX_UINT256 = (1n << 256n) - 1n;
export const QUANTITY = say("invalid_quantity", "{field} must be a non-negative integer: a JSON number, a decimal string or a 0x hex string");

/** A 256-bit unsigned integer: a JSON safe integer, a decimal string or a 0x hex string; a bigint. */
export const quantity = v.pipe(
  v.union([v.pipe(v.number(QUANTITY), v.safeInteger(QUANTITY), v.minValue(0, QUANTITY)), v.pipe(v.string(QUANTITY), v.regex(/^(0x[0-9a-fA-F]{1,64}|0|[1-9][0-9]{0,77})$/, QUANTITY))], QUANTITY),
  v.transform((n) => BigInt(n)),
  v.check((n) => n <= MAX_UINT256, say("invalid_quantity", "{field} must fit in 256 bits")),
  v.metadata({ example: "0x5208" }),
);

/** A quantity below 2^64 (a nonce). */
export const uint64 = v.pipe(quantity, v.check((n) => n < 1n << 64n, say("invalid_quantity", "{field} must be below 2^64")));

/** A quantity at most `max`, as a number. */
export function upTo(max: number) {
  return v.pipe(quantity, v.check((n) => n <= BigInt(max), say("invalid_quantity", `{field} must be at most ${max}`)), v.transform(Number));
}

/** true or false, with its own code. */
export const flag = (code: string) => v.boolean(say(code, "{field} must be true or false"));
