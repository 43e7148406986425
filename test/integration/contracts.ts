import { bytesToHex } from "../../src/primitives/hex.ts";
import { asm } from "../helpers/asm.ts";

/** Init code that deploys `runtime` as is. */
export function deployable(runtime: Uint8Array): string {
  const init = asm(`PUSH1 ${runtime.length} DUP1 PUSH1 9 PUSH0 CODECOPY PUSH0 RETURN`);
  return bytesToHex(new Uint8Array([...init, ...runtime]));
}

/** Empty calldata increments slot 0; any calldata returns slot 0. */
export const COUNTER = deployable(asm(`
  CALLDATASIZE @get JUMPI
  PUSH0 SLOAD PUSH 1 ADD PUSH0 SSTORE STOP
  :get PUSH0 SLOAD PUSH0 MSTORE PUSH 32 PUSH0 RETURN`));

/** Always reverts with Error("nope"). */
export const REVERTER = deployable(asm(`
  PUSH32 0x08c379a000000000000000000000000000000000000000000000000000000000 PUSH0 MSTORE
  PUSH 0x20 PUSH 4 MSTORE
  PUSH 4 PUSH 0x24 MSTORE
  PUSH32 0x6e6f706500000000000000000000000000000000000000000000000000000000 PUSH 0x44 MSTORE
  PUSH 0x64 PUSH0 REVERT`));
