import solc from "solc";

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
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
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
