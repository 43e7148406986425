import type { CallEnd } from "../evm/inspector.ts";
import type { HaltReason } from "../evm/types.ts";

/** geth's error strings (core/vm/errors.go), which tracers and clients match on. */
const HALT_ERRORS: Record<HaltReason, string> = {
  out_of_gas: "out of gas",
  invalid_opcode: "invalid opcode",
  stack_underflow: "stack underflow",
  stack_overflow: "stack overflow",
  invalid_jump: "invalid jump destination",
  static_state_change: "write protection",
  return_data_out_of_bounds: "return data out of bounds",
  call_depth_exceeded: "max call depth exceeded",
  create_collision: "contract address collision",
  code_size_exceeded: "max code size exceeded",
  invalid_code_prefix: "invalid code: must not begin with 0xef",
  insufficient_balance: "insufficient balance for transfer",
  nonce_overflow: "nonce uint64 overflow",
  precompile_failure: "out of gas",
  memory_cap: "memory cap exceeded",
  isolate_memory: "server busy: memory shared by concurrent runs exceeded",
  time_cap: "time cap exceeded",
  trace_cap: "trace cap exceeded",
};

export function haltError(reason: HaltReason | undefined): string {
  return reason === undefined ? "execution halted" : HALT_ERRORS[reason];
}

/** The error geth reports for a message's end; undefined for a success. */
export function callError(end: CallEnd): string | undefined {
  if (end.status === "success") return undefined;
  if (end.status === "reverted") return "execution reverted";
  return haltError(end.early ?? end.haltReason);
}

/** geth's wording of Solidity panics (accounts/abi: panicReasons), for `revertReason`. */
const PANICS: Record<number, string> = {
  0x00: "generic panic",
  0x01: "assert(false)",
  0x11: "arithmetic underflow or overflow",
  0x12: "division or modulo by zero",
  0x21: "enum overflow",
  0x22: "invalid encoded storage byte array accessed",
  0x31: "out-of-bounds array access; popping on an empty array",
  0x32: "out-of-bounds access of an array or bytesN",
  0x41: "out of memory",
  0x51: "uninitialized function",
};

export function panicReason(code: number): string | undefined {
  return PANICS[code];
}
