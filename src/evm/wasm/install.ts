import { installKeccakWasm } from "../../primitives/keccak.ts";
import { installBlake2fWasm } from "../precompiles/09-blake2f.ts";
import { installMulmodWasm } from "../mulmod-wasm.ts";
import { provideWasmLimbs } from "../pool.ts";

/** What evm.wasm exports (scripts/build-wasm.ts). */
interface EvmWasm {
  memory: WebAssembly.Memory;
  blake2f(rounds: number, final: number): void;
  keccakF1600(): void;
  mulmod(x: number, y: number, m: number, d: number): number;
}

/** Where evm.wasm keeps Keccak's state (scripts/build-wasm.ts, KECCAK_STATE). */
const KECCAK_STATE = 256;
/** Where evm.wasm's MULMOD reads its operands and writes its result (scripts/build-wasm.ts, MULMOD_AT). */
const MULMOD_AT = 512;
/** Frames' limbs in evm.wasm's memory (scripts/build-wasm.ts, LIMB_REGIONS_AT and LIMB_REGIONS). */
const LIMB_REGIONS_AT = 65536;
const LIMB_REGIONS = 30;

/**
 * Puts the hash rounds of evm.wasm under blake2f and KECCAK256, and its modular product under MULMOD. The host compiles the module:
 * workerd only from a module bundled with the Worker (src/index.ts imports evm.wasm), Node from
 * its bytes (src/cli/wasm.ts). Without it the JavaScript forms run, with the same results.
 */
export function installEvmWasm(module: WebAssembly.Module): void {
  const e = new WebAssembly.Instance(module, {}).exports as unknown as EvmWasm;
  installBlake2fWasm(e.memory, e.blake2f);
  installKeccakWasm(e.memory, KECCAK_STATE, e.keccakF1600);
  installMulmodWasm(e.memory, MULMOD_AT, e.mulmod);
  provideWasmLimbs(e.memory, LIMB_REGIONS_AT, LIMB_REGIONS);
}
