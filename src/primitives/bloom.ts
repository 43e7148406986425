import { hexToBytes, bytesToHex, type Hex } from "./hex.ts";
import { keccak256 } from "./keccak.ts";

/** The 2048-bit logs bloom of the yellow paper (receipts' and blocks' `logsBloom`). */
export function logsBloom(logs: { address: Hex; topics: Hex[] }[]): Hex {
  const bloom = new Uint8Array(256);
  const add = (item: Uint8Array) => {
    const h = keccak256(item);
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i] << 8) | h[i + 1]) & 2047;
      bloom[255 - (bit >> 3)] |= 1 << (bit & 7);
    }
  };
  for (const log of logs) {
    add(hexToBytes(log.address));
    for (const t of log.topics) add(hexToBytes(t));
  }
  return bytesToHex(bloom);
}
