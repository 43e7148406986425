import type { Abi } from "viem";
import type { Simulated } from "../exec/simulate.ts";
import { decodeCustomError, type AbiError } from "../trace/abi-error.ts";
import { decodeTokenEvent } from "../trace/token-events.ts";
import { presentExecution, presentInvalid } from "./present.ts";

/**
 * One simulated transaction: the fields of a call answer, its logs with standard token events
 * decoded, what it would change (state diff, transfers, net asset changes), the access list it
 * would use with the gas it would then use, and the trace if asked for.
 */
export function presentSimulated(s: Simulated, abi: Abi | undefined) {
  const r = s.result;
  if (!r.valid) return presentInvalid(r);
  const base = presentExecution(r);
  const logs = r.logs.map((l, i) => ({ ...base.logs[i], decoded: decodeTokenEvent(l) ?? null }));
  if (r.status === "reverted" && abi !== undefined && base.error !== undefined && !("decoded" in base.error && base.error.decoded)) {
    const errors = abi.flatMap((e): AbiError[] => (e.type === "error" ? [{ type: "error", name: e.name, inputs: e.inputs.map((i) => ({ name: i.name, type: i.type })) }] : []));
    const custom = decodeCustomError(errors, r.output);
    if (custom !== undefined) Object.assign(base.error, { decoded: custom, message: `execution reverted: ${custom.signature}` });
  }
  return {
    ...base,
    logs,
    createdAddress: s.createdAddress ?? null,
    stateDiff: s.stateDiff,
    transfers: s.transfers,
    assetChanges: s.assetChanges,
    accessList: s.accessList?.map((i) => ({ address: i.address, storageKeys: i.storageKeys.map((k) => `0x${k.toString(16).padStart(64, "0")}`) })),
    gasUsedWithAccessList: s.gasUsedWithAccessList === undefined ? null : Number(s.gasUsedWithAccessList),
    ...(s.trace !== undefined ? { trace: s.trace } : {}),
  };
}
