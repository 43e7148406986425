import { STACK_LIMIT } from "../../evm/gas.ts";
import { ITEM_BYTES, SLACK } from "../struct-log-bytes.ts";

/**
 * trace.wasm's memory (scripts/build-trace-wasm.ts, src/trace/struct-log-wasm.ts): fixed, never
 * grown, so views of it stay valid for the instance's life. One instance per struct logger.
 */

/** `,"op":"NAME","gas":` of each opcode, OP_SLOT bytes apart (zero-padded), and its length (a byte each) at OP_LENGTHS. */
export const OPS_AT = 0;
export const OP_SLOT = 32;
export const OP_LENGTHS = OPS_AT + 256 * OP_SLOT;
/** The ASCII of the four decimal digits of each value below 10^4, packed little-endian (decimalTable). */
export const DECIMALS_AT = OP_LENGTHS + 256;
/** The two hex digits of each byte, packed little-endian (the struct logger's HEX2). */
export const HEX_AT = DECIMALS_AT + 4 * 10_000;
/** The stack capture's text (StackCaptures writes it here): its items joined by commas, at most STACK_TEXT bytes with its slack. */
export const STACK_AT = 49152;
/** Quotes, "0x", 64 digits and a comma per item, and the slack a store past the end may write. */
export const STACK_TEXT = STACK_LIMIT * (ITEM_BYTES + 1) + SLACK;
/**
 * The log's chunk (StructLogText's region): entries are written here, then copied out to the
 * answer's pieces OUT_SIZE bytes at most at a time; 64 bytes past it that a store past the end
 * may write (the region's slack, and the 16 bytes a store of the stack's text may pass it).
 */
export const OUT_AT = STACK_AT + 73728;
export const OUT_SIZE = 64 * 1024;
/** An entry longer than this is written by JavaScript. */
export const ENTRY_MAX = 8192;
/** The stack capture's words held as limbs (StackCaptures' `limbs`: eight 32-bit limbs an item, least significant first). */
export const LIMBS_AT = OUT_AT + OUT_SIZE + 64;
export const PAGES = Math.ceil((LIMBS_AT + 4 * 8 * STACK_LIMIT) / 65536);
