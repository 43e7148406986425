/** A `0x`-prefixed hex string: the form of every byte string at a boundary. */
export type Hex = `0x${string}`;
/** A `0x`-prefixed, lowercase, 20-byte hex string. */
export type Address = `0x${string}`;

const HEX_RE = /^0x[0-9a-fA-F]*$/;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

export function isHex(value: unknown): value is Hex {
  return typeof value === "string" && HEX_RE.test(value);
}

export function isAddress(value: unknown): value is Address {
  return typeof value === "string" && ADDRESS_RE.test(value);
}

const HEX_BYTE: string[] = [];
for (let i = 0; i < 256; i++) HEX_BYTE.push(i.toString(16).padStart(2, "0"));

const HEX_DIGIT = new TextEncoder().encode("0123456789abcdef");
const ascii = new TextDecoder();

/**
 * Always a flat string: `+=` builds a rope of one node per byte (about 28 heap bytes per byte
 * until something flattens it), which a trace holding many of them cannot afford. Short ones are
 * flattened by reading a character; long ones are decoded from ASCII digits in one piece.
 */
export function bytesToHex(bytes: Uint8Array): Hex {
  if (bytes.length > 32) return longHex(bytes);
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTE[bytes[i]];
  out.charCodeAt(0);
  return out as Hex;
}

function longHex(bytes: Uint8Array): Hex {
  const digits = new Uint8Array(2 + 2 * bytes.length);
  digits[0] = 48; // 0
  digits[1] = 120; // x
  for (let i = 0, j = 2; i < bytes.length; i++, j += 2) {
    digits[j] = HEX_DIGIT[bytes[i] >> 4];
    digits[j + 1] = HEX_DIGIT[bytes[i] & 15];
  }
  return ascii.decode(digits) as Hex;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses `0x…` hex (odd length is padded on the left, as clients commonly send). */
export function hexToBytes(hex: string): Uint8Array {
  if (!hex.startsWith("0x") && !hex.startsWith("0X")) throw new TypeError(`not 0x-prefixed hex: ${hex.slice(0, 20)}`);
  let s = hex.slice(2);
  if (s.length % 2 === 1) s = "0" + s;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError(`invalid hex character in ${hex.slice(0, 20)}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function hexToBigInt(hex: string): bigint {
  return hex === "0x" || hex === "0X" ? 0n : BigInt(hex);
}

export function bigIntToHex(value: bigint): Hex {
  return `0x${value.toString(16)}`;
}

/** 32-byte big-endian word as hex, the form of storage keys and hashes. */
export function wordToHex(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

export function bigIntToAddress(value: bigint): Address {
  return `0x${(value & ((1n << 160n) - 1n)).toString(16).padStart(40, "0")}`;
}

export function addressToBigInt(address: Address): bigint {
  return BigInt(address);
}

export function toAddress(hex: string): Address {
  if (!isAddress(hex)) throw new TypeError(`not a 20-byte address: ${hex.slice(0, 50)}`);
  return hex.toLowerCase() as Address;
}
