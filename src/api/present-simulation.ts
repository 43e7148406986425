import type { Simulated } from "../exec/simulate.ts";
import type { TxRequest } from "../exec/tx.ts";
import { hexToBytes } from "../primitives/hex.ts";
import { decodeCall, decodeError, decodeEvent, type AbiIndex } from "../trace/abi-decode.ts";
import type { CallFrameJson } from "../trace/call-tracer.ts";
import { decodeTokenEvent } from "../trace/token-events.ts";
import { presentExecution, presentInvalid } from "./present.ts";

/**
 * One simulated transaction: the fields of a call answer, its logs with standard token events
 * decoded, what it would change (state diff, transfers, net asset changes), the access list it
 * would use with the gas it would then use, and the trace if asked for. With the request's ABI,
 * also the call (function, arguments, return value), its events, its custom error and every
 * frame of a call trace, decoded.
 */
export function presentSimulated(s: Simulated, req: TxRequest, abi: AbiIndex | undefined) {
  const r = s.result;
  if (!r.valid) return presentInvalid(r);
  const base = presentExecution(r);
  const logs = r.logs.map((l, i) => {
    const event = abi === undefined ? undefined : decodeEvent(abi, l.topics, l.data);
    return { ...base.logs[i], decoded: decodeTokenEvent(l) ?? null, ...(event === undefined ? {} : { event }) };
  });
  if (r.status === "reverted" && abi !== undefined && base.error !== undefined && !("decoded" in base.error && base.error.decoded)) {
    const custom = decodeError(abi, r.output);
    if (custom !== undefined) Object.assign(base.error, { decoded: custom, message: `execution reverted: ${custom.signature}` });
  }
  const call = abi === undefined || req.to === null ? undefined : decodeCall(abi, req.data, r.status === "success" ? r.output : undefined);
  return {
    ...base,
    ...(call === undefined ? {} : { call }),
    logs,
    createdAddress: s.createdAddress ?? null,
    stateDiff: s.stateDiff,
    transfers: s.transfers,
    assetChanges: s.assetChanges,
    accessList: s.accessList?.map((i) => ({ address: i.address, storageKeys: i.storageKeys.map((k) => `0x${k.toString(16).padStart(64, "0")}`) })),
    gasUsedWithAccessList: s.gasUsedWithAccessList === undefined ? null : Number(s.gasUsedWithAccessList),
    ...(s.trace !== undefined ? { trace: abi !== undefined && "input" in s.trace ? decodeFrames(abi, s.trace) : s.trace } : {}),
  };
}

/**
 * A call trace with each frame's call (`decoded`), custom error (`decodedError`) and logs
 * (`event`) decoded where the ABI knows them; frames it does not know are left as they are.
 * Walked with a stack: a trace nests up to 1024 calls deep.
 */
function decodeFrames(abi: AbiIndex, root: CallFrameJson): CallFrameJson {
  const stack = [root];
  while (stack.length > 0) {
    const frame = stack.pop() as CallFrameJson & Record<string, unknown>;
    if (frame.type !== "CREATE" && frame.type !== "CREATE2") {
      const call = decodeCall(abi, frame.input, frame.error === undefined ? frame.output : undefined);
      if (call !== undefined) frame.decoded = call;
      if (frame.error !== undefined && frame.output !== undefined) {
        const error = decodeError(abi, hexToBytes(frame.output));
        if (error !== undefined) frame.decodedError = error;
      }
    }
    for (const log of frame.logs ?? []) {
      const event = decodeEvent(abi, log.topics, hexToBytes(log.data));
      if (event !== undefined) Object.assign(log, { event });
    }
    stack.push(...(frame.calls ?? []));
  }
  return root;
}
