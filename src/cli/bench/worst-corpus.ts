import { asm } from "../asm.ts";
import { BLS_G1, BLS_G2, BN_G1, BN_G2, ECRECOVER_INPUT, P256_INPUT, POINT_EVALUATION_INPUT, blake2fInput, hexBytes, modexpInput } from "./worst-inputs.ts";

/** A contract built to be as slow per gas as we could make it, with its calldata. */
export interface WorstCase {
  name: string;
  what: string;
  code: Uint8Array;
  calldata: Uint8Array;
  /** The precompile it calls in a loop, whose input must be valid for the loop to measure anything. */
  precompile?: number;
  /** The loop ignores the call's result: the input fails on purpose, after the costly part. */
  failing?: boolean;
}

const hex = hexBytes;
const repeat = (s: string, n: number) => Array.from({ length: n }, () => s).join(" ");
const MAX = `0x${"ff".repeat(32)}`;

/** Copies the calldata to memory once, then calls precompile `address` with it until gas runs out. */
function precompileLoop(address: number, outSize: number): Uint8Array {
  return asm(`CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY :top PUSH ${outSize} PUSH3 0x010000 CALLDATASIZE PUSH0 PUSH ${address} GAS STATICCALL ISZERO @done JUMPI @top JUMP :done STOP`);
}

function loop(body: string, prefix = ""): Uint8Array {
  return asm(`${prefix} :top ${body} @top JUMP`);
}

function modexp(b: number, e: number, m: number, fill: string, evenModulus: boolean): Uint8Array {
  return hex(modexpInput(fill.repeat(b), "ff".repeat(e), fill.repeat(m - 1) + (evenModulus ? "fe" : "ff")));
}

const blake2f = (rounds: number) => hex(blake2fInput(rounds));

/**
 * Code that first deploys `runtime` (CREATE of an init code appended after the program, which
 * copies the runtime from behind itself), then runs `body` in a loop with the new address on top
 * of the stack.
 */
function deployThenLoop(runtime: Uint8Array, body: string): Uint8Array {
  const size = runtime.length;
  const init = asm(`PUSH2 ${size} PUSH2 13 PUSH0 CODECOPY PUSH2 ${size} PUSH0 RETURN`);
  const program = (at: number) => asm(`PUSH2 ${init.length + size} PUSH2 ${at} PUSH0 CODECOPY PUSH2 ${init.length + size} PUSH0 PUSH0 CREATE :top ${body} @top JUMP`);
  const at = program(0).length;
  return Uint8Array.from([...program(at), ...init, ...runtime]);
}

/** 24 KiB of code (EIP-170's most) that stops at once: a STOP then JUMPDESTs, the most work for jump analysis. */
const BIG_CODE = Uint8Array.from({ length: 24_576 }, (_, i) => (i === 0 ? 0x00 : 0x5b));

const NONE = new Uint8Array(0);

export const WORST_CASES: WorstCase[] = [
  { name: "jumpdest_jump_loop", what: "JUMPDEST PUSH2 JUMP: 12 gas a turn", code: loop(""), calldata: NONE },
  { name: "push0_pop", what: "PUSH0 POP, 4 gas a pair", code: loop(repeat("PUSH0 POP", 200)), calldata: NONE },
  { name: "gas_pop", what: "GAS POP", code: loop(repeat("GAS POP", 200)), calldata: NONE },
  { name: "jumpdest_flood", what: "24,500 JUMPDESTs (1 gas each) in a loop", code: asm(`${repeat("JUMPDEST", 24_500)} PUSH0 JUMP`), calldata: NONE },
  { name: "keccak_32k", what: "KECCAK256 of 32 KiB of memory", code: loop("PUSH3 0x8000 PUSH0 KECCAK256 POP"), calldata: NONE },
  { name: "mcopy_32k", what: "MCOPY of 32 KiB", code: loop("PUSH3 0x8000 PUSH0 PUSH3 0x8000 MCOPY"), calldata: NONE },
  { name: "memory_grow", what: "MSTORE one word further each turn, up to what the gas buys", code: loop("DUP1 DUP1 MSTORE PUSH 32 ADD", "PUSH0"), calldata: NONE },
  { name: "log0_32k", what: "LOG0 of 32 KiB", code: loop("PUSH3 0x8000 PUSH0 LOG0"), calldata: NONE },
  { name: "sload_cold", what: "SLOAD of a new slot each turn (2,100 gas)", code: loop("DUP1 SLOAD POP PUSH 1 ADD", "PUSH0"), calldata: NONE },
  { name: "sstore_new", what: "SSTORE to a new slot each turn (22,100 gas)", code: loop("DUP1 DUP1 SSTORE PUSH 1 ADD", "PUSH 1"), calldata: NONE },
  { name: "balance_cold", what: "BALANCE of a new account each turn (2,600 gas)", code: loop("DUP1 BALANCE POP PUSH 1 ADD", "PUSH 0x100000"), calldata: NONE },
  { name: "extcodesize_cold", what: "EXTCODESIZE of a new account each turn", code: loop("DUP1 EXTCODESIZE POP PUSH 1 ADD", "PUSH 0x100000"), calldata: NONE },
  { name: "create_loop", what: "CREATE of a 3-byte init code each turn", code: loop("PUSH 3 PUSH 29 PUSH0 CREATE POP", "PUSH 0x5f5ff3 PUSH0 MSTORE"), calldata: NONE },
  { name: "call_self_loop", what: "every frame CALLs itself in a loop, so calls go 1,024 deep again and again", code: loop("PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 ADDRESS GAS CALL POP"), calldata: NONE },
  { name: "exp_max", what: "EXP with a 32-byte exponent", code: loop(`PUSH32 ${MAX} PUSH32 ${MAX} EXP POP`), calldata: NONE },
  { name: "mulmod_max", what: "MULMOD of 256-bit values", code: loop(`PUSH32 ${MAX} PUSH32 ${MAX} PUSH32 ${MAX} MULMOD POP`), calldata: NONE },
  { name: "div_sdiv_mod", what: "DIV, SDIV, MOD, SMOD of 256-bit values", code: loop(repeat(`PUSH32 0x7fff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0001 PUSH32 ${MAX} DIV POP PUSH 3 PUSH32 ${MAX} SDIV POP PUSH32 0x100000001 PUSH32 ${MAX} MOD POP PUSH 7 PUSH32 ${MAX} SMOD POP`, 4)), calldata: NONE },
  { name: "ecrecover", what: "ecrecover (3,000 gas)", code: precompileLoop(1, 32), calldata: hex(ECRECOVER_INPUT), precompile: 1 },
  { name: "modexp_256_e32_odd", what: "modexp: 256-byte base and modulus, 32-byte exponent of ones", code: precompileLoop(5, 256), calldata: modexp(256, 32, 256, "f7", false), precompile: 5 },
  { name: "modexp_256_e32_even", what: "the same with an even modulus", code: precompileLoop(5, 256), calldata: modexp(256, 32, 256, "f7", true), precompile: 5 },
  { name: "modexp_1024_e1", what: "modexp: 1,024-byte base and modulus (EIP-7823's most), 1-byte exponent", code: precompileLoop(5, 1024), calldata: modexp(1024, 1, 1024, "e3", false), precompile: 5 },
  { name: "modexp_64_e32", what: "modexp: 64-byte base and modulus, 32-byte exponent", code: precompileLoop(5, 64), calldata: modexp(64, 32, 64, "c1", false), precompile: 5 },
  { name: "bn254_add", what: "bn254 point addition (150 gas)", code: precompileLoop(6, 64), calldata: hex(BN_G1 + BN_G1), precompile: 6 },
  { name: "bn254_mul", what: "bn254 scalar multiplication (6,000 gas)", code: precompileLoop(7, 64), calldata: hex(BN_G1 + "ff".repeat(32)), precompile: 7 },
  { name: "bn254_pairing_8", what: "bn254 pairing check of 8 pairs", code: precompileLoop(8, 32), calldata: hex((BN_G1 + BN_G2).repeat(8)), precompile: 8 },
  { name: "blake2f_100k", what: "blake2f with 100,000 rounds (1 gas a round)", code: precompileLoop(9, 64), calldata: blake2f(100_000), precompile: 9 },
  { name: "bls12_g1msm_16", what: "BLS12-381 G1 multi-scalar multiplication of 16 points", code: precompileLoop(0x0c, 128), calldata: hex((BLS_G1 + "ff".repeat(32)).repeat(16)), precompile: 0x0c },
  { name: "bls12_pairing_4", what: "BLS12-381 pairing check of 4 pairs", code: precompileLoop(0x0f, 32), calldata: hex((BLS_G1 + BLS_G2).repeat(4)), precompile: 0x0f },
  { name: "p256verify", what: "secp256r1 verification of a valid signature (6,900 gas)", code: precompileLoop(0x100, 32), calldata: hex(P256_INPUT), precompile: 0x100 },
  // Found by `npm run bench -- worst --sweep`: the slowest input per gas of each precompile.
  { name: "bls12_g2msm_64", what: "BLS12-381 G2 multi-scalar multiplication of 64 points", code: precompileLoop(0x0e, 256), calldata: hex((BLS_G2 + "ff".repeat(32)).repeat(64)), precompile: 0x0e },
  { name: "bls12_g1msm_64", what: "BLS12-381 G1 MSM of 64 points", code: precompileLoop(0x0c, 128), calldata: hex((BLS_G1 + "ff".repeat(32)).repeat(64)), precompile: 0x0c },
  { name: "bls12_pairing_8", what: "BLS12-381 pairing check of 8 pairs", code: precompileLoop(0x0f, 32), calldata: hex((BLS_G1 + BLS_G2).repeat(8)), precompile: 0x0f },
  { name: "bls12_g2add", what: "BLS12-381 G2 addition (600 gas)", code: precompileLoop(0x0d, 256), calldata: hex(BLS_G2 + BLS_G2), precompile: 0x0d },
  { name: "bls12_map_fp2_g2", what: "BLS12-381 map of an Fp2 element to G2 (23,800 gas)", code: precompileLoop(0x11, 256), calldata: hex("00".repeat(16) + "0d".repeat(47) + "01" + "00".repeat(16) + "0d".repeat(47) + "01"), precompile: 0x11 },
  { name: "modexp_64_e1", what: "modexp: 64-byte base and odd modulus, 1-byte exponent (the minimum price, 500 gas)", code: precompileLoop(5, 64), calldata: modexp(64, 1, 64, "e3", false), precompile: 5 },
  { name: "blake2f_12", what: "blake2f with 12 rounds, the per-call cost around a small round count", code: precompileLoop(9, 64), calldata: blake2f(12), precompile: 9 },
  { name: "point_evaluation", what: "KZG point evaluation, full pairing, 50,000 gas a call", code: asm(`CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY :top PUSH 64 PUSH0 CALLDATASIZE PUSH0 PUSH 10 PUSH3 50000 STATICCALL POP @top JUMP`), calldata: hex(POINT_EVALUATION_INPUT), precompile: 0x0a, failing: true },
  { name: "identity_empty", what: "STATICCALL of the identity precompile with no input (115 gas)", code: loop("PUSH0 PUSH0 PUSH0 PUSH0 PUSH 4 GAS STATICCALL POP"), calldata: NONE },
  { name: "call_warm_nocode", what: "CALL of a warm account without code (100 gas)", code: loop("PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 CALLER GAS CALL POP"), calldata: NONE },
  { name: "call_cold_new", what: "CALL of a new account each turn (2,600 gas)", code: loop("PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 DUP6 GAS CALL POP PUSH 1 ADD", "PUSH 0x100000"), calldata: NONE },
  { name: "call_big_code", what: "CALL of a 24 KiB contract that stops at once (jump analysis per call?)", code: deployThenLoop(BIG_CODE, "PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 DUP6 GAS CALL POP"), calldata: NONE },
  { name: "extcodecopy_big", what: "EXTCODECOPY of 24 KiB of code", code: deployThenLoop(BIG_CODE, "PUSH2 0x6000 PUSH0 PUSH0 DUP4 EXTCODECOPY"), calldata: NONE },
  { name: "selfdestruct_call", what: "CALL of a contract that SELFDESTRUCTs to itself (5,100 gas)", code: deployThenLoop(asm("ADDRESS SELFDESTRUCT"), "PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 DUP6 GAS CALL POP"), calldata: NONE },
  { name: "create2_48k", what: "CREATE2 of 48 KiB of init code (EIP-3860's most) that stops at once", code: loop("DUP1 PUSH3 0xc000 PUSH0 PUSH0 CREATE2 POP PUSH 1 ADD", "PUSH0"), calldata: NONE },
  { name: "returndatacopy_32k", what: "RETURNDATACOPY of 32 KiB (identity's output)", code: loop("RETURNDATASIZE PUSH0 PUSH0 RETURNDATACOPY", "PUSH3 0x8000 PUSH0 PUSH3 0x8000 PUSH0 PUSH 4 GAS STATICCALL POP"), calldata: NONE },
  { name: "sload_warm", what: "SLOAD of a warm slot (100 gas)", code: loop("PUSH0 SLOAD POP"), calldata: NONE },
  { name: "sstore_warm_same", what: "SSTORE of the value a warm slot already has (100 gas)", code: loop("PUSH 1 PUSH0 SSTORE"), calldata: NONE },
  { name: "tstore_tload", what: "TSTORE then TLOAD (200 gas)", code: loop("PUSH 1 PUSH0 TSTORE PUSH0 TLOAD POP"), calldata: NONE },
  { name: "balance_warm", what: "BALANCE of a warm account (100 gas)", code: loop("CALLER BALANCE POP"), calldata: NONE },
  { name: "keccak_32b", what: "KECCAK256 of one word (36 gas)", code: loop("PUSH 32 PUSH0 KECCAK256 POP"), calldata: NONE },
  { name: "add_mul_sub", what: "ADD, MUL, SUB on small values", code: loop(repeat("PUSH 3 PUSH 5 ADD PUSH 7 MUL PUSH 1 SUB POP", 50)), calldata: NONE },
  { name: "env_reads", what: "PC, CALLER, ADDRESS, CALLVALUE (2 gas each)", code: loop(repeat("PC POP CALLER POP ADDRESS POP CALLVALUE POP", 50)), calldata: NONE },
  { name: "addmod_max", what: "ADDMOD of 256-bit values", code: loop(`PUSH32 ${MAX} PUSH32 ${MAX} PUSH32 ${MAX} ADDMOD POP`), calldata: NONE },
];
