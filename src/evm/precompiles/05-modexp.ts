import { Fork } from "../fork.ts";
import type { Precompile } from "./types.ts";
import { fromBytes, readPadded, toBytes, wordAt } from "./util.ts";

/** EIP-7823 (Osaka): each length is at most 1024 bytes. */
const OSAKA_MAX_LENGTH = 1024n;

function bitLength(x: bigint): bigint {
  return x === 0n ? 0n : BigInt(x.toString(2).length);
}

/** EIP-198 multiplication complexity (Byzantium to Istanbul). */
function byzantiumComplexity(x: bigint): bigint {
  if (x <= 64n) return x * x;
  if (x <= 1024n) return (x * x) / 4n + 96n * x - 3072n;
  return (x * x) / 16n + 480n * x - 199680n;
}

/**
 * EIP-198 gas (Byzantium to Istanbul), EIP-2565 gas (Berlin to Prague) or EIP-7883 gas (Osaka),
 * in bigint: lengths can be 2^256.
 */
function gasCost(baseLen: bigint, expLen: bigint, modLen: bigint, expHead: bigint, fork: Fork): bigint {
  const maxLen = baseLen > modLen ? baseLen : modLen;
  const w = (maxLen + 7n) / 8n;
  const osaka = fork >= Fork.Osaka;
  const headBits = bitLength(expHead) > 0n ? bitLength(expHead) - 1n : 0n;
  let iterations: bigint;
  if (expLen <= 32n) iterations = expHead === 0n ? 0n : headBits;
  else iterations = (osaka ? 16n : 8n) * (expLen - 32n) + headBits;
  if (iterations < 1n) iterations = 1n;
  if (fork < Fork.Berlin) return (byzantiumComplexity(maxLen) * iterations) / 20n;
  const complexity = osaka ? (maxLen > 32n ? 2n * w * w : 16n) : w * w;
  const cost = osaka ? complexity * iterations : (complexity * iterations) / 3n;
  const floor = osaka ? 500n : 200n;
  return cost > floor ? cost : floor;
}

export const modexp: Precompile = (input, gasLimit, fork) => {
  const baseLen = wordAt(input, 0), expLen = wordAt(input, 32), modLen = wordAt(input, 64);
  if (fork >= Fork.Osaka && (baseLen > OSAKA_MAX_LENGTH || expLen > OSAKA_MAX_LENGTH || modLen > OSAKA_MAX_LENGTH)) return null;
  // The exponent's first 32 bytes set the price; it starts after the base, wherever that ends.
  const expStart = 96n + baseLen;
  const headLen = expLen < 32n ? Number(expLen) : 32;
  const expHead = expStart >= BigInt(input.length) ? 0n : fromBytes(readPadded(input, Number(expStart), headLen));
  const gas = gasCost(baseLen, expLen, modLen, expHead, fork);
  if (gas > BigInt(gasLimit)) return null;
  const gasUsed = Number(gas);
  if (baseLen === 0n && modLen === 0n) return { gasUsed, output: new Uint8Array(0) };
  // Gas above bounds every length here: even 2^53 gas cannot pay for a 1 MB operand.
  const bl = Number(baseLen), el = Number(expLen), ml = Number(modLen);
  const base = fromBytes(readPadded(input, 96, bl));
  const exp = fromBytes(readPadded(input, 96 + bl, el));
  const mod = fromBytes(readPadded(input, 96 + bl + el, ml));
  if (mod === 0n) return { gasUsed, output: new Uint8Array(ml) };
  return { gasUsed, output: toBytes(powMod(base, exp, mod), ml) };
};

function powMod(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod === 1n) return 0n;
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    e >>= 1n;
    if (e > 0n) b = (b * b) % mod;
  }
  return result;
}
