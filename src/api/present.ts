import { bytesToHex } from "../primitives/hex.ts";
import type { Log, TxExecuted, TxInvalid } from "../evm/types.ts";
import { decodeRevert } from "../primitives/revert.ts";

export function presentLogs(logs: Log[]) {
  return logs.map((l) => ({ address: l.address, topics: l.topics, data: bytesToHex(l.data) }));
}

/** What a revert or halt says: the code, a message, and for a revert its data decoded. */
function failure(r: TxExecuted) {
  if (r.status === "reverted") {
    const decoded = decodeRevert(r.output) ?? null;
    const message = decoded === null ? "execution reverted" : `execution reverted: ${decoded.reason}`;
    return { code: "reverted", message, data: bytesToHex(r.output), decoded };
  }
  const code = r.haltReason ?? "halted";
  return { code, message: `execution halted: ${code.replaceAll("_", " ")}` };
}

/** The fields every execution answer shares: status, output, gas, logs and, if it failed, why. */
export function presentExecution(r: TxExecuted) {
  return {
    status: r.status,
    returnData: bytesToHex(r.output),
    gasUsed: Number(r.gasUsed),
    logs: presentLogs(r.logs),
    ...(r.status === "success" ? {} : { error: failure(r) }),
  };
}

export function presentInvalid(r: TxInvalid) {
  return { status: "invalid" as const, error: { code: r.error, message: r.message } };
}
