import { bytesToHex, type Hex } from "../../primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.ts";

/** What two EVMs must agree on after running the same transaction. */
export interface Outcome {
  status: "success" | "revert" | "halt";
  output: string;
  /** Execution gas, before refunds, without the intrinsic cost. */
  gas: number;
  /** The refund the sender gets back (capped at a fifth of the gas spent, EIP-3529). */
  refund: number;
  logs: string[];
  /** Every non-empty account after the run: address, balance, nonce, code hash (sorted). */
  accounts: string[];
  /** Every non-zero storage slot of those accounts (sorted). */
  storage: string[];
}

/** One account of a world dump, as both engines' states are read into. */
export interface DumpedAccount {
  address: string;
  balance: bigint;
  nonce: bigint;
  codeHash: Hex;
  storage: [bigint, bigint][];
}

/** Accounts and slots in one canonical form; empty accounts count as absent (EIP-161). */
export function canonicalWorld(accounts: DumpedAccount[]): Pick<Outcome, "accounts" | "storage"> {
  const live = accounts.filter((a) => a.balance !== 0n || a.nonce !== 0n || a.codeHash !== EMPTY_CODE_HASH);
  return {
    accounts: live.map((a) => `${a.address.toLowerCase()} balance=${a.balance} nonce=${a.nonce} code=${a.codeHash}`).sort(),
    storage: live.flatMap((a) => a.storage.filter(([, v]) => v !== 0n).map(([k, v]) => `${a.address.toLowerCase()}[${k}]=${v}`)).sort(),
  };
}

export const logLine = (address: string, topics: string[], data: Uint8Array) => `${address.toLowerCase()} ${topics.join(",")} ${bytesToHex(data)}`;

function listDifference(what: string, a: string[], b: string[]): string | undefined {
  const onlyA = a.filter((x) => !b.includes(x)), onlyB = b.filter((x) => !a.includes(x));
  if (onlyA.length === 0 && onlyB.length === 0) return a.join("|") === b.join("|") ? undefined : `${what}: same entries, different order`;
  return `${what}: ours has ${onlyA.slice(0, 3).join("; ") || "nothing more"}, ejs has ${onlyB.slice(0, 3).join("; ") || "nothing more"}`;
}

/** The first field where two outcomes differ, or undefined. */
export function difference(a: Outcome, b: Outcome): string | undefined {
  if (a.status !== b.status) return `status: ours ${a.status}, ejs ${b.status}`;
  if (a.output !== b.output) return `output: ours ${a.output.slice(0, 80)}, ejs ${b.output.slice(0, 80)}`;
  if (a.gas !== b.gas) return `gas: ours ${a.gas}, ejs ${b.gas}`;
  if (a.refund !== b.refund) return `refund: ours ${a.refund}, ejs ${b.refund}`;
  return listDifference("logs", a.logs, b.logs) ?? listDifference("accounts", a.accounts, b.accounts) ?? listDifference("storage", a.storage, b.storage);
}
