import { installKeccakWasm } from "../../primitives/keccak.ts";
import { installBlake2fWasm } from "../precompiles/09-blake2f.ts";
import { installMulmodWasm } from "../mulmod-wasm.ts";
import { provideWasmLimbs } from "../pool.ts";
import { KECCAK_STATE, LIMB_REGIONS, LIMB_REGIONS_AT, MULMOD_AT } from "./layout.ts";

/** What evm.wasm exports (scripts/build-wasm.ts). */
interface EvmWasm {
  memory: WebAssembly.Memory;
  blake2f(rounds: number, final: number): void;
  keccakF1600(): void;
  mulmod(x: number, y: number, m: number, d: number): number;
}


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
