import type { TxExecuted } from "../evm/types.ts";
import { TRACE_BYTES_CAP } from "../trace/meter.ts";
import { ServiceError, tooLarge } from "./errors.ts";

/** The sandbox's output caps (the EVM enforces gas, depth, code size, memory and time). */
export const CAPS = {
  callDataBytes: 128 * 1024,
  initCodeBytes: 49_152,
  returnDataBytes: 256 * 1024,
  logs: 1024,
  logDataBytes: 256 * 1024,
  transactionsPerSimulation: 16,
  /** JSON bytes of the traces of one request (TraceMeter). */
  traceBytes: TRACE_BYTES_CAP,
} as const;

/**
 * The cap a run hit, if any. Such a run ends with its cap's code and commits nothing (it is
 * still logged).
 */
export function capHit(r: TxExecuted): ServiceError | undefined {
  if (r.status === "halted" && r.haltReason === "isolate_memory") {
    return new ServiceError(503, "isolate_busy", "other runs in this server hold the memory this run needed; retry it", { "retry-after": "1" });
  }
  if (r.status === "halted" && (r.haltReason === "memory_cap" || r.haltReason === "time_cap")) {
    return tooLarge(r.haltReason, r.haltReason === "memory_cap" ? "the run used more memory than the sandbox allows" : "the run took longer than the sandbox allows");
  }
  if (r.status === "halted" && r.haltReason === "trace_cap") return tooLarge("trace_too_large", `the trace is larger than ${CAPS.traceBytes} bytes; trace a smaller transaction, pass a \`limit\`, or leave out memory, stack or storage`);
  if (r.output.length > CAPS.returnDataBytes) return tooLarge("return_data_too_large", `the run returned ${r.output.length} bytes; the cap is ${CAPS.returnDataBytes}`);
  if (r.logs.length > CAPS.logs) return tooLarge("too_many_logs", `the run emitted ${r.logs.length} logs; the cap is ${CAPS.logs}`);
  const logBytes = r.logs.reduce((n, l) => n + l.data.length, 0);
  if (logBytes > CAPS.logDataBytes) return tooLarge("log_data_too_large", `the run's logs carry ${logBytes} bytes of data; the cap is ${CAPS.logDataBytes}`);
  return undefined;
}
