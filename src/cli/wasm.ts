import { installBlake2fWasm } from "../evm/precompiles/09-blake2f.ts";
import { BLAKE2F_WASM_BASE64 } from "../evm/precompiles/blake2f-wasm-bytes.ts";

/**
 * Installs the EVM's WebAssembly in Node (CLI, unit tests), which compiles it from bytes; the
 * Worker imports the bundled module instead (src/index.ts), as workerd requires.
 */
export function installWasm(): void {
  // Workers types declare the constructor abstract: workerd forbids it, Node has it.
  const Module = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
  installBlake2fWasm(new Module(Buffer.from(BLAKE2F_WASM_BASE64, "base64")));
}

installWasm();
