import { EVM_WASM_BASE64 } from "../evm/wasm/evm-wasm-bytes.ts";
import { installEvmWasm } from "../evm/wasm/install.ts";
import { installTraceWasm } from "../trace/struct-log-wasm.ts";
import { TRACE_WASM_BASE64 } from "../trace/wasm/trace-wasm-bytes.ts";

/**
 * Installs the EVM's WebAssembly and the struct logger's entry writer in Node (CLI, unit tests), which compiles it from bytes; the
 * Worker imports the bundled module instead (src/index.ts), as workerd requires.
 */
export function installWasm(): void {
  // Workers types declare the constructor abstract: workerd forbids it, Node has it.
  const Module = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
  installEvmWasm(new Module(Buffer.from(EVM_WASM_BASE64, "base64")));
  installTraceWasm(new Module(Buffer.from(TRACE_WASM_BASE64, "base64")));
}

installWasm();
