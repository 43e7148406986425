/**
 * Mostly-valid random EVM programs for differential fuzzing: a list of small segments, each
 * leaving the stack as it found it (pushes what its instruction needs, disposes of what it
 * leaves), so programs run deep instead of failing at their first instruction. Dropping any
 * segment keeps a program valid, which is what shrinking does.
 */
import { Fork } from "../../evm/fork.ts";
import { instructionTable } from "../../evm/opcodes/table.ts";
import { precompileInput } from "./precompile-inputs.ts";
import { length, offset, push, small, word, type Rng } from "./rng.ts";

/** The second contract of every case: writes slot 1, logs, returns 32 bytes of its input. */
export const OTHER_CODE = Uint8Array.from([0x60, 0x2a, 0x60, 0x01, 0x55, 0x60, 0x20, 0x5f, 0xa0, 0x5f, 0x35, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]);
export const OTHER = "0x4000000000000000000000000000000000000004";
export const TARGET = "0xbe7c43a580000000000000000000000000000001";

const PRECOMPILES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x100];
const BINARY = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d];
const TERNARY = [0x08, 0x09];
const UNARY = [0x15, 0x19, 0x40, 0x49];
const NULLARY = [0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4a, 0x58, 0x59, 0x5a];
/** Accounts a case may touch: the two contracts, precompiles, an empty account, a fresh one. */
const ACCOUNTS = [BigInt(OTHER), BigInt(TARGET), 0n, 1n, 4n, 9n, 0x100n, 0x1234n, 0xdeadbeefn];
/** Init code that deploys the one-byte contract 0x2a. */
const INIT = [0x60, 0x2a, 0x5f, 0x53, 0x60, 0x01, 0x5f, 0xf3];

/** What to do with a value left on the stack: drop it, keep it in memory or in storage. */
function store(r: Rng): number[] {
  const k = r.int(3);
  return k === 0 ? [0x50] : k === 1 ? [...push(small(r, 8) * 32n), 0x52] : [...push(small(r, 8)), 0x55];
}

/** Bytes into memory at `at`, a word at a time. */
function mstoreBytes(bytes: Uint8Array, at: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    const chunk = new Uint8Array(32);
    chunk.set(bytes.subarray(i, i + 32));
    out.push(0x7f, ...chunk, ...push(BigInt(at + i)), 0x52);
  }
  return out;
}

/** CALL-like instruction with its arguments; the success flag is stored or dropped. */
function call(r: Rng, to: bigint, argsOffset: bigint, argsSize: bigint): number[] {
  const kind = r.pick([0xf1, 0xfa, 0xf4, 0xf2]);
  const value = kind === 0xf1 || kind === 0xf2 ? push(r.chance(0.7) ? 0n : small(r, 3)) : [];
  const gas = r.chance(0.6) ? 0xffffffn : small(r, r.chance(0.5) ? 5_000 : 200_000);
  return [...push(small(r, 64)), ...push(r.chance(0.8) ? 0n : offset(r)), ...push(argsSize), ...push(argsOffset), ...value, ...push(to), ...push(gas), kind, ...store(r)];
}

/** A segment that runs `body` n times (1 to 8): the counter stays on the stack, the loop jumps back relative to PC. */
function loop(r: Rng, body: number[]): number[] {
  // [n] JUMPDEST body PUSH1 1 SWAP1 SUB DUP1 PC PUSH2 d SWAP1 SUB JUMPI POP, d = PC's distance back to the JUMPDEST.
  const distance = body.length + 6;
  return [...push(1n + small(r, 8)), 0x5b, ...body, 0x60, 0x01, 0x90, 0x03, 0x80, 0x58, 0x61, distance >> 8, distance & 0xff, 0x90, 0x03, 0x57, 0x50];
}

/**
 * The code with each PUSH0 (EIP-3855, Shanghai) written as PUSH1 0 for a fork without it, so that
 * programs for older forks run instead of halting at their first zero.
 */
export function portable(code: ArrayLike<number>, fork: Fork): number[] {
  const out: number[] = [];
  for (let i = 0; i < code.length; i++) {
    const op = code[i];
    if (op === 0x5f && fork < Fork.Shanghai) out.push(0x60, 0x00);
    else out.push(op);
    if (op >= 0x60 && op <= 0x7f) for (let k = 1; k <= op - 0x5f && i + 1 < code.length; k++) out.push(code[++i]);
  }
  return out;
}

/** Whether every instruction of the code exists in the fork (undefined ones are named by their byte). */
function definedIn(code: number[], fork: Fork): boolean {
  const names = instructionTable(fork).names;
  for (let i = 0; i < code.length; i++) {
    if (names[code[i]].startsWith("0x")) return false;
    if (code[i] >= 0x60 && code[i] <= 0x7f) i += code[i] - 0x5f;
  }
  return true;
}

/** Draws until the fork has every instruction drawn (a few tries), so old forks run deep too. */
function forFork(fork: Fork, draw: () => number[]): number[] {
  for (let tries = 0; ; tries++) {
    const code = portable(draw(), fork);
    if (tries >= 16 || definedIn(code, fork)) return code;
  }
}

/** One segment: leaves the stack as it found it. */
function segment(r: Rng, fork: Fork, depth = 0): number[] {
  return forFork(fork, () => anySegment(r, fork, depth));
}

function anySegment(r: Rng, fork: Fork, depth: number): number[] {
  switch (r.int(16)) {
    case 0:
      return [...push(word(r)), ...push(word(r)), r.pick(BINARY), ...store(r)];
    case 1:
      return [...push(word(r)), ...push(word(r)), ...push(word(r)), r.pick(TERNARY), ...store(r)];
    case 2:
      return [...push(word(r)), r.pick(fork >= Fork.Osaka ? [...UNARY, 0x1e] : UNARY), ...store(r)];
    case 3:
      return [r.pick(NULLARY), ...store(r)];
    case 4: // memory
      return r.chance(0.5) ? [...push(word(r)), ...push(offset(r)), r.pick([0x52, 0x53])] : [...push(offset(r)), 0x51, ...store(r)];
    case 5: // copies
      return [...push(length(r)), ...push(offset(r)), ...push(offset(r)), r.pick([0x37, 0x39, 0x5e, 0x3e])];
    case 6: // storage and transient storage
      return r.chance(0.5) ? [...push(word(r)), ...push(small(r, 8)), r.pick([0x55, 0x5d])] : [...push(small(r, 8)), r.pick([0x54, 0x5c]), ...store(r)];
    case 7: { // logs
      const n = r.int(5);
      return [...Array.from({ length: n }, () => push(word(r))).flat(), ...push(length(r)), ...push(offset(r)), 0xa0 + n];
    }
    case 8: // calls to the other contract, to itself, to any account or precompile, with memory as input
      return call(r, r.chance(0.4) ? BigInt(OTHER) : r.chance(0.2) ? BigInt(TARGET) : BigInt(r.pick([...PRECOMPILES, ...ACCOUNTS])), offset(r), length(r));
    case 9: { // precompile calls with (mostly) valid input, written to memory at 0x100
      const p = precompileInput(r);
      return [...mstoreBytes(p.input, 0x100), ...call(r, BigInt(p.address), 0x100n, BigInt(p.input.length))];
    }
    case 10: { // creations of a tiny contract
      const mstore = [...push(BigInt("0x" + INIT.map((b) => b.toString(16).padStart(2, "0")).join("")) << BigInt(256 - 8 * INIT.length)), 0x5f, 0x52];
      const size = r.chance(0.9) ? BigInt(INIT.length) : length(r);
      return r.chance(0.5) ? [...mstore, ...push(size), 0x5f, ...push(small(r, 2)), 0xf0, ...store(r)] : [...mstore, ...push(small(r, 4)), ...push(size), 0x5f, ...push(small(r, 2)), 0xf5, ...store(r)];
    }
    case 11: // account queries
      return [...push(r.pick(ACCOUNTS)), r.pick([0x31, 0x3b, 0x3f]), ...store(r)];
    case 12: // code of another account into memory
      return [...push(length(r)), ...push(small(r, 40)), ...push(offset(r)), ...push(r.pick(ACCOUNTS)), 0x3c];
    case 13: // a bounded loop around another segment
      return depth === 0 ? loop(r, segment(r, fork, 1)) : [0x5b];
    default: // hashing
      return [...push(length(r)), ...push(offset(r)), 0x20, ...store(r)];
  }
}

function ending(r: Rng): number[] {
  const k = r.int(9);
  if (k === 0) return [0x00];
  if (k === 1) return [...push(r.pick(ACCOUNTS)), 0xff];
  if (k === 2) return [0xfe];
  return [...push(small(r, 96)), ...push(small(r, 64)), k <= 5 ? 0xfd : 0xf3];
}

export interface Program {
  segments: number[][];
  ending: number[];
}

export function program(r: Rng, fork: Fork): Program {
  return { segments: Array.from({ length: 1 + r.int(24) }, () => segment(r, fork)), ending: forFork(fork, () => ending(r)) };
}

export function assemble(p: Program): Uint8Array {
  return Uint8Array.from([...p.segments.flat(), ...p.ending]);
}
