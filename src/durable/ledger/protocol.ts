import type { Address } from "../../primitives/hex.ts";
import type { RunKind, RunRow } from "../../records/run.ts";
import type { AccountName } from "../protocol.ts";

/** What the Worker and a project's Ledger object exchange over RPC. Amounts are micro-units as decimal strings. */

/**
 * What an API key may do. `read`: GET endpoints, `call`, and JSON-RPC reads (eth_call,
 * eth_getBalance, ...); `simulate`: simulations, gas estimates, access lists and traces;
 * `send`: transactions that commit (send, deploy, eth_sendRawTransaction); `admin`: the keys and
 * usage of the key's own project; `dev`: development methods that write state directly on the
 * project's chain (anvil_setBalance and kin). Credit is the operator's alone.
 */
export type Scope = "read" | "simulate" | "send" | "admin" | "dev";
export const SCOPES: readonly Scope[] = ["read", "simulate", "send", "admin", "dev"];

/** An API key as the service knows it once admitted (never the key itself). */
export interface KeyView {
  id: string;
  projectId: string;
  chainId: bigint;
  /** The key's EVM account. */
  address: Address;
  funded: boolean;
  scopes: Scope[];
  /** The project's plan limits. */
  maxGasPerRun: bigint | null;
  requestsPerMinute: number;
}

/** What a request may cost at most: a fixed price per run plus its gas at the gas price. */
export interface ReserveItem {
  fixed: string;
  perMillionGas: string;
  gas: string;
  /** The gas was not asked for: the plan's cap applies instead of refusing. */
  gasDefaulted: boolean;
}

export interface AdmitRequest {
  /** SHA-256 of the API key, hex. */
  keyHash: string;
  /** The scope the request needs, when known before parsing (REST); JSON-RPC checks per method. */
  scope?: Scope;
  /** Rate-limit tokens: 1, or the number of requests of a JSON-RPC batch. */
  items: number;
  /** Credit to hold for the runs the request will make, and the kind of its first run. */
  reserve?: ReserveItem[];
  kind?: RunKind;
  /** Accounts the request may commit a send from (signers of raw transactions), fenced if it is abandoned. */
  senders?: Address[];
  /** It may also send from the key's own account. */
  sendsFromKey?: boolean;
  /**
   * The name prefix of the accounts its sends commit on, when not the project's chain (a
   * persistent fork's `fork:<chainId>:<network>:<blockHash>`): the senders fenced are those.
   */
  chainName?: string;
  /** Settlements of earlier requests to ride along, applied first in the same transaction (src/exec/settlements.ts). */
  settlements?: Settlement[];
}

export type Refused = { ok: false; status: 400 | 401 | 402 | 403 | 429; code: string; message: string; retryAfter?: number };

export interface Reservation {
  id: string;
  amount: string;
}

export type Admission = { ok: true; key: KeyView; reservation?: Reservation } | Refused;

/** One run of a request, settled against its reservation. */
export interface SettledRun {
  runId: string;
  kind: RunKind;
  gasUsed: string;
  charge: string;
  /** The run's row for the run log, when no commit wrote it (read-only runs, refused sends). */
  row?: RunRow;
  /** For a committed send: its sender, whose outbox holds its record. */
  sender?: AccountName;
}

export interface Settlement {
  reservationId: string;
  runs: SettledRun[];
  /** The request is over: what the reservation holds beyond its charges goes back to credit. */
  close: boolean;
}

export interface ProjectView {
  id: string;
  name: string;
  chainId: number;
  /** Micro-units available for new runs. */
  credit: number;
  /** Micro-units held by runs under way. */
  reserved: number;
  limits: { maxGasPerRun: number | null; requestsPerMinute: number; retentionDays: number };
}

export interface KeyListing {
  id: string;
  prefix: string;
  scopes: Scope[];
  address: Address;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewProject {
  id: string;
  name: string;
  chainId: number;
  credit: number;
  /** The first key: its hash and prefix (the secret never reaches the object). */
  key: { id: string; hash: string; prefix: string; scopes: Scope[] };
  limits?: { maxGasPerRun?: number | null; requestsPerMinute?: number; retentionDays?: number };
}

export interface UsageRow {
  start: string;
  kind: RunKind;
  runs: number;
  gas: number;
  charge: number;
}
