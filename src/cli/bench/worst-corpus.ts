import { asm } from "../asm.ts";
import { BLS_G1, BLS_G2, BN_G1, BN_G2, ECRECOVER_INPUT, blake2fInput, hexBytes, modexpInput } from "./worst-inputs.ts";

/** A contract built to be as slow per gas as we could make it, with its calldata. */
export interface WorstCase {
  name: string;
  what: string;
  code: Uint8Array;
  calldata: Uint8Array;
  /** The precompile it calls in a loop, whose input must be valid for the loop to measure anything. */
  precompile?: number;
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
  { name: "call_self_deep", what: "CALL to itself, as deep as the gas allows", code: asm("PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 ADDRESS GAS CALL STOP"), calldata: NONE },
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
  { name: "p256verify", what: "secp256r1 verification (6,900 gas); an invalid signature costs the same", code: precompileLoop(0x100, 32), calldata: hex("11".repeat(160)), precompile: 0x100 },
];
