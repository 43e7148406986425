/**
 * Where evm.wasm keeps what it shares with JavaScript, in bytes of its memory: one definition for
 * the script that writes the module (scripts/build-wasm.ts) and the code that installs it
 * (install.ts). blake2f's h, m and t are at 0, 64 and 192 (the precompile's input layout).
 */
/** Keccak-f[1600]'s 25 lanes. */
export const KECCAK_STATE = 256;
/** MULMOD's kept modulus (8 digits) and its mu (9), then the digits of 1 (mulmod-wasm.ts). */
export const MULMOD_AT = 512;
/** Frames' limbs, LIMB_REGIONS regions of 32 KiB from the second page on (pool.ts). */
export const LIMB_REGIONS_AT = 65536;
export const LIMB_REGIONS = 30;
