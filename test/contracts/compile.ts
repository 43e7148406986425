import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import solc from "solc";

const require = createRequire(import.meta.url);

/** Imports such as `@openzeppelin/contracts/...` come from node_modules (pinned by the lock file). */
function findImport(path: string): { contents: string } | { error: string } {
  try {
    return { contents: readFileSync(require.resolve(path), "utf8") };
  } catch {
    return { error: `not found: ${path}` };
  }
}

export interface Artifact {
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
}

/**
 * Compiles Solidity sources with the pinned solc-js. Settings keep the output short and
 * reproducible: optimizer on, no metadata hash appended to the bytecode.
 */
export function compileContracts(sources: Record<string, string>): Record<string, Artifact> {
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([file, content]) => [file, { content }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "prague",
      metadata: { appendCBOR: false },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n"));
  const out: Record<string, Artifact> = {};
  for (const file of Object.keys(sources).sort()) {
    for (const [name, c] of Object.entries(output.contracts[file] as Record<string, any>).sort(([a], [b]) => a.localeCompare(b))) {
      out[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` };
    }
  }
  return out;
}
