/**
 * Answers of the REST API as the browser reads them. The server's own types (src/db/*.ts) live
 * in modules that use the Workers runtime's types, which the console's DOM build cannot load.
 */
import type { Address, Hex } from "../../primitives/hex.ts";

export interface ProjectJson {
  id: string;
  name: string;
  chainId: number;
  credit: number;
  reserved: number;
  limits: { maxGasPerRun: number | null; requestsPerMinute: number };
}

export interface RunJson {
  id: string;
  kind: "call" | "simulate" | "send" | "deploy";
  to: Address | null;
  selector: Hex | null;
  gasLimit: number;
  gasUsed: number;
  status: string;
  errorCode: string | null;
  durationMs: number;
  blockNumber: number;
  txHash: Hex | null;
  contractAddress: Address | null;
  charge: number;
  createdAt: string;
}

export interface KeyJson {
  id: string;
  prefix: string;
  scopes: string[];
  address: Address;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
