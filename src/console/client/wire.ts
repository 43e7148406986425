/**
 * Answers of the REST API as the browser reads them. The server's own types (src/db/*.ts) live
 * in modules that use the Workers runtime's types, which the console's DOM build cannot load.
 */
import type { Address, Hex } from "../../primitives/hex.ts";
import type { RunView } from "../../records/run.ts";

export interface ProjectJson {
  id: string;
  name: string;
  chainId: number;
  credit: number;
  reserved: number;
  limits: { maxGasPerRun: number | null; requestsPerMinute: number };
}

/** A run, as `GET /v1/runs` answers it: the server's own view type (platform-free). */
export type RunJson = RunView;

export interface KeyJson {
  id: string;
  prefix: string;
  scopes: string[];
  address: Address;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
