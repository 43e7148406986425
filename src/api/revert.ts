import { bytesToHex } from "../primitives/hex.ts";

const PANIC_REASONS: Record<number, string> = {
  0x00: "generic panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array encoding",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "too much memory allocated",
  0x51: "call to an uninitialised function",
};

/** Solidity's revert reasons: Error(string) and Panic(uint256). */
export function decodeRevert(data: Uint8Array): { kind: "error"; reason: string } | { kind: "panic"; code: number; reason: string } | undefined {
  const selector = bytesToHex(data.subarray(0, 4));
  if (selector === "0x08c379a0" && data.length >= 68) {
    const len = Number(BigInt(bytesToHex(data.subarray(36, 68))));
    if (68 + len > data.length) return undefined;
    return { kind: "error", reason: new TextDecoder().decode(data.subarray(68, 68 + len)) };
  }
  if (selector === "0x4e487b71" && data.length === 36) {
    const code = Number(BigInt(bytesToHex(data.subarray(4, 36))) & 0xffffn);
    return { kind: "panic", code, reason: PANIC_REASONS[code] ?? "unknown panic code" };
  }
  return undefined;
}
