import { bytesToHex, type Address } from "../primitives/hex.ts";

/** EIP-7702: code `0xef0100 ‖ address` makes an EOA run the code at `address`. */
export const DELEGATION_PREFIX = Uint8Array.of(0xef, 0x01, 0x00);
export const DELEGATION_CODE_LENGTH = 23;

export function delegationTarget(code: Uint8Array): Address | undefined {
  if (code.length !== DELEGATION_CODE_LENGTH || code[0] !== 0xef || code[1] !== 0x01 || code[2] !== 0x00) {
    return undefined;
  }
  return bytesToHex(code.subarray(3)) as Address;
}

export function delegationCode(target: Address): Uint8Array {
  const out = new Uint8Array(DELEGATION_CODE_LENGTH);
  out.set(DELEGATION_PREFIX);
  for (let i = 0; i < 20; i++) out[3 + i] = parseInt(target.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}
