import { Hono } from "hono";
import { CAPS } from "../../exec/caps.ts";
import { badRequest } from "../../exec/errors.ts";
import { runCall, runSimulate } from "../../exec/runs.ts";
import type { TxRequest } from "../../exec/tx.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { presentExecution } from "../present.ts";
import { presentSimulated } from "../present-simulation.ts";
import { abiErrors, accessList, blockOverrides, stateOverrides, traceRequest, validation } from "../simulate-input.ts";
import { bytes, gas, object, optionalAddress, optionalUint, requiredAddress, type Fields } from "../validate.ts";

/** POST /v1/call and POST /v1/simulate: executions at the latest state that commit nothing. */
export const callRoutes = new Hono<AppEnv>();

const TX_FIELDS = ["to", "data", "from", "value", "gas"] as const;
/** A simulated transaction may also set what a signed one would carry. */
const SIMULATED_TX_FIELDS = [...TX_FIELDS, "nonce", "maxFeePerGas", "maxPriorityFeePerGas", "accessList"] as const;

function txRequest(f: Fields, defaultFrom: TxRequest["from"], maxGas: bigint, toRequired: boolean): TxRequest {
  return {
    from: optionalAddress(f, "from") ?? defaultFrom,
    to: toRequired ? requiredAddress(f, "to") : (optionalAddress(f, "to") ?? null),
    data: bytes(f, "data", CAPS.callDataBytes, { required: false, tooLargeCode: "calldata_too_large" }),
    value: optionalUint(f, "value") ?? 0n,
    gas: gas(f, maxGas),
  };
}

function simulatedTx(f: Fields, defaultFrom: TxRequest["from"], maxGas: bigint, where: string): TxRequest {
  const nonce = optionalUint(f, "nonce");
  if (nonce !== undefined && nonce >= 1n << 64n) throw badRequest("invalid_quantity", `${where}.nonce must be below 2^64`);
  return {
    ...txRequest(f, defaultFrom, maxGas, false),
    nonce,
    maxFeePerGas: optionalUint(f, "maxFeePerGas"),
    maxPriorityFeePerGas: optionalUint(f, "maxPriorityFeePerGas"),
    accessList: accessList(f.accessList, `${where}.accessList`),
  };
}

callRoutes.post("/call", async (c) => {
  const run = c.var.run;
  const req = txRequest(object(await jsonBody(c), TX_FIELDS), c.var.key.address, run.config.maxGas, true);
  const { runId, result } = await runCall(run, req);
  if (!result.valid) throw badRequest(result.error, result.message);
  return c.json({ runId, ...presentExecution(result) });
});

callRoutes.post("/simulate", async (c) => {
  const run = c.var.run;
  const f = object(await jsonBody(c), ["transactions", "stateOverrides", "blockOverrides", "validation", "trace", "abi"]);
  const txs = f.transactions;
  if (!Array.isArray(txs) || txs.length === 0) throw badRequest("invalid_transactions", "transactions must be a non-empty array of transaction objects");
  if (txs.length > CAPS.transactionsPerSimulation) throw badRequest("too_many_transactions", `a simulation runs at most ${CAPS.transactionsPerSimulation} transactions`);
  const reqs = txs.map((t, i) => simulatedTx(object(t, SIMULATED_TX_FIELDS, `transactions[${i}]`), c.var.key.address, run.config.maxGas, `transactions[${i}]`));
  const opts = { stateOverrides: stateOverrides(f.stateOverrides), blockOverrides: blockOverrides(f.blockOverrides), validation: validation(f.validation), trace: traceRequest(f.trace) };
  const abi = abiErrors(f.abi);
  const { runId, results } = await runSimulate(run, reqs, opts);
  return c.json({ runId, results: results.map((s) => presentSimulated(s, abi)) });
});
