import { bytesToHex } from "../primitives/hex.ts";
import type { Log, TxExecuted } from "../evm/types.ts";
import { decodeRevert } from "./revert.ts";

export function presentLogs(logs: Log[]) {
  return logs.map((l) => ({ address: l.address, topics: l.topics, data: bytesToHex(l.data) }));
}

/** The fields every execution answer shares: status, output, gas, logs, revert reason. */
export function presentExecution(r: TxExecuted) {
  const out: Record<string, unknown> = {
    status: r.status,
    returnData: bytesToHex(r.output),
    gasUsed: Number(r.gasUsed),
    logs: presentLogs(r.logs),
  };
  if (r.status === "reverted") {
    out.error = { code: "reverted", message: "execution reverted", data: bytesToHex(r.output), decoded: decodeRevert(r.output) ?? null };
  } else if (r.status === "halted") {
    out.error = { code: r.haltReason ?? "halted", message: `execution halted: ${r.haltReason ?? "exceptional halt"}` };
  }
  return out;
}
