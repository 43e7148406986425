import { bytesToHex, type Address, type Hex } from "../../src/primitives/hex.ts";
import { keccak256 } from "../../src/primitives/keccak.ts";

/** Just enough ABI for the test contracts: static arguments (uint256, address) and one string. */
export type Arg = bigint | number | Address | { string: string };

const word = (n: bigint) => n.toString(16).padStart(64, "0");

export function selector(signature: string): Hex {
  return bytesToHex(keccak256(new TextEncoder().encode(signature)).subarray(0, 4));
}

export function encodeCall(signature: string, ...args: Arg[]): Hex {
  let head = "", tail = "";
  for (const a of args) {
    if (typeof a === "object") {
      const bytes = new TextEncoder().encode(a.string);
      head += word(BigInt(args.length * 32 + tail.length / 2));
      tail += word(BigInt(bytes.length)) + bytesToHex(bytes).slice(2).padEnd(Math.ceil(bytes.length / 32) * 64, "0");
    } else head += word(typeof a === "string" ? BigInt(a) : BigInt(a));
  }
  return `${selector(signature)}${head}${tail}`;
}

/** Constructor arguments appended to init code. */
export function withArgs(bytecode: string, ...args: (bigint | number | Address)[]): Hex {
  return `${bytecode}${args.map((a) => word(BigInt(a))).join("")}` as Hex;
}

export function decodeUint(data: string, index = 0): bigint {
  return BigInt(`0x${data.slice(2 + index * 64, 2 + (index + 1) * 64)}`);
}

export function decodeAddress(data: string, index = 0): Address {
  return `0x${data.slice(2 + index * 64 + 24, 2 + (index + 1) * 64)}`;
}
