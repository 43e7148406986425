import { Hono } from "hono";
import { CAPS } from "../../exec/caps.ts";
import { badRequest } from "../../exec/errors.ts";
import { runCall, runSimulate } from "../../exec/runs.ts";
import type { TxRequest } from "../../exec/tx.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { presentExecution, presentInvalid } from "../present.ts";
import { bytes, gas, object, optionalAddress, optionalUint, requiredAddress, type Fields } from "../validate.ts";

/** POST /v1/call and POST /v1/simulate: executions at the latest state that commit nothing. */
export const callRoutes = new Hono<AppEnv>();

const TX_FIELDS = ["to", "data", "from", "value", "gas"] as const;

function txRequest(f: Fields, defaultFrom: TxRequest["from"], maxGas: bigint, toRequired: boolean): TxRequest {
  return {
    from: optionalAddress(f, "from") ?? defaultFrom,
    to: toRequired ? requiredAddress(f, "to") : (optionalAddress(f, "to") ?? null),
    data: bytes(f, "data", CAPS.callDataBytes, { required: false, tooLargeCode: "calldata_too_large" }),
    value: optionalUint(f, "value") ?? 0n,
    gas: gas(f, maxGas),
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
  const f = object(await jsonBody(c), ["transactions"]);
  const txs = f.transactions;
  if (!Array.isArray(txs) || txs.length === 0) throw badRequest("invalid_transactions", "transactions must be a non-empty array of transaction objects");
  if (txs.length > CAPS.transactionsPerSimulation) throw badRequest("too_many_transactions", `a simulation runs at most ${CAPS.transactionsPerSimulation} transactions`);
  const reqs = txs.map((t, i) => txRequest(object(t, TX_FIELDS, `transactions[${i}]`), c.var.key.address, run.config.maxGas, false));
  const { runId, results } = await runSimulate(run, reqs);
  return c.json({
    runId,
    results: results.map(({ result, stateDiff, createdAddress }) =>
      result.valid ? { ...presentExecution(result), createdAddress: createdAddress ?? null, stateDiff } : presentInvalid(result),
    ),
  });
});
