import { bytesToBigInt } from "../primitives/bytes.ts";

/** Solidity's panic codes (docs: "Panic via assert and Error via require"). */
const PANIC_REASONS: Record<number, string> = {
  0x00: "generic compiler panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "conversion to an invalid enum value",
  0x22: "incorrectly encoded storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "too much memory allocated",
  0x51: "call to a zero-initialised internal function",
};

export type DecodedRevert = { signature: "Error(string)"; reason: string } | { signature: "Panic(uint256)"; code: number; reason: string };

/** Decodes Solidity's standard revert payloads: Error(string) (0x08c379a0) and Panic(uint256) (0x4e487b71). */
export function decodeRevert(data: Uint8Array): DecodedRevert | undefined {
  const selector = data.length >= 4 ? (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3] : -1;
  if (selector === 0x08c379a0 && data.length >= 68) {
    if (bytesToBigInt(data.subarray(4, 36)) !== 32n) return undefined;
    const length = bytesToBigInt(data.subarray(36, 68));
    if (68n + length > BigInt(data.length)) return undefined;
    const reason = new TextDecoder().decode(data.subarray(68, 68 + Number(length)));
    return { signature: "Error(string)", reason };
  }
  if (selector === 0x4e487b71 && data.length === 36) {
    const code = bytesToBigInt(data.subarray(4, 36));
    const small = code <= 0xffn ? Number(code) : -1;
    return { signature: "Panic(uint256)", code: small, reason: PANIC_REASONS[small] ?? `unknown panic code 0x${code.toString(16)}` };
  }
  return undefined;
}
