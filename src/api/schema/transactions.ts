import * as v from "valibot";
import { CAPS } from "../../exec/caps.ts";
import { abiSchema } from "./abi.ts";
import { address, bytes, flag, object, quantity, uint64 } from "./fields.ts";
import { accessListSchema, blockOverridesSchema, stateOverridesSchema, traceSchema } from "./overrides.ts";
import { say } from "./parse.ts";

/** The bodies of the REST routes that run transactions: /v1/call, /v1/send, /v1/contracts, /v1/simulate. */

const calldata = v.optional(bytes(CAPS.callDataBytes, "calldata_too_large"));
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Calldata as `data` or `input` (geth takes both: `input` is the newer name); both only when
 * they are the same bytes. The answer has `data` (empty when neither).
 */
function withInput<E extends v.ObjectEntries>(entries: E, notObject?: string) {
  return v.pipe(
    object({ ...entries, data: calldata, input: calldata }, notObject),
    v.check((o) => o.data === undefined || o.input === undefined || sameBytes(o.data, o.input), say("invalid_input", "{field} has data and input that differ; send one of them")),
    v.transform(({ input, data, ...rest }) => ({ ...rest, data: input ?? data ?? new Uint8Array(0) })),
  );
}

const common = { value: v.optional(quantity), gas: v.optional(quantity) };

export const callBody = withInput({ to: address, from: v.optional(address), ...common });

export const sendBody = withInput({ to: address, ...common });

export const contractsBody = object({ bytecode: bytes(CAPS.initCodeBytes, "init_code_too_large"), ...common });

const simulatedTx = withInput({
  to: v.optional(address),
  from: v.optional(address),
  ...common,
  nonce: v.optional(uint64),
  maxFeePerGas: v.optional(quantity),
  maxPriorityFeePerGas: v.optional(quantity),
  accessList: v.optional(accessListSchema),
});

const TXS = say("invalid_transactions", "transactions must be a non-empty array of transaction objects");
export const simulateBody = object({
  transactions: v.pipe(
    v.unknown(),
    v.check((x) => Array.isArray(x) && x.length > 0, TXS),
    v.check((x) => (x as unknown[]).length <= CAPS.transactionsPerSimulation, say("too_many_transactions", `a simulation runs at most ${CAPS.transactionsPerSimulation} transactions`)),
    v.array(simulatedTx, TXS),
  ),
  stateOverrides: v.optional(stateOverridesSchema),
  blockOverrides: v.optional(blockOverridesSchema),
  validation: v.optional(flag("invalid_validation")),
  trace: v.optional(traceSchema),
  abi: v.optional(abiSchema),
}, undefined, undefined, { transactions: TXS });
