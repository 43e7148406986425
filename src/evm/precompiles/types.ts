import type { Fork } from "../fork.ts";

/**
 * Outcome of a precompile: output and gas used, or `null` for a failure (bad input or gas above
 * the limit). A failure consumes all the gas given to the call, as the EVM specifies.
 */
export type PrecompileResult = { gasUsed: number; output: Uint8Array } | null;

/** A precompiled contract. Pure: no state, no I/O; gasLimit is what the caller passed on. */
export type Precompile = (input: Uint8Array, gasLimit: number, fork: Fork) => PrecompileResult;
