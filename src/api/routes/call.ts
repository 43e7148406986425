import { Hono } from "hono";
import { CAPS } from "../../exec/caps.ts";
import { configOf } from "../../exec/config.ts";
import { badRequest } from "../../exec/errors.ts";
import { runCall, runSimulate } from "../../exec/runs.ts";
import type { TxRequest } from "../../exec/tx.ts";
import { admit, bearer } from "../admission.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { presentExecution } from "../present.ts";
import { presentSimulated } from "../present-simulation.ts";
import { abiErrors, accessList, blockOverrides, stateOverrides, traceRequest, validation } from "../simulate-input.ts";
import { bytes, gasOf, object, optionalAddress, optionalUint, requiredAddress, type Fields } from "../validate.ts";

/** POST /v1/call and POST /v1/simulate: executions at the latest state that commit nothing. */
export const callRoutes = new Hono<AppEnv>();

const TX_FIELDS = ["to", "data", "from", "value", "gas"] as const;
/** A simulated transaction may also set what a signed one would carry. */
const SIMULATED_TX_FIELDS = [...TX_FIELDS, "nonce", "maxFeePerGas", "maxPriorityFeePerGas", "accessList"] as const;

/** A transaction as asked: its gas is the cap when absent (`from` filled in once the key is known). */
type Asked = Omit<TxRequest, "from"> & { from?: TxRequest["from"]; gasDefaulted: boolean };

function txRequest(f: Fields, maxGas: bigint, toRequired: boolean): Asked {
  const { gas, defaulted } = gasOf(f, maxGas);
  return {
    from: optionalAddress(f, "from"),
    to: toRequired ? requiredAddress(f, "to") : (optionalAddress(f, "to") ?? null),
    data: bytes(f, "data", CAPS.callDataBytes, { required: false, tooLargeCode: "calldata_too_large" }),
    value: optionalUint(f, "value") ?? 0n,
    gas,
    gasDefaulted: defaulted,
  };
}

function simulatedTx(f: Fields, maxGas: bigint, where: string): Asked {
  const nonce = optionalUint(f, "nonce");
  if (nonce !== undefined && nonce >= 1n << 64n) throw badRequest("invalid_quantity", `${where}.nonce must be below 2^64`);
  return {
    ...txRequest(f, maxGas, false),
    nonce,
    maxFeePerGas: optionalUint(f, "maxFeePerGas"),
    maxPriorityFeePerGas: optionalUint(f, "maxPriorityFeePerGas"),
    accessList: accessList(f.accessList, `${where}.accessList`),
  };
}

/** The request as it runs: from the key's account unless it says otherwise, at the plan's gas cap unless it asked. */
function settled(t: Asked, from: TxRequest["from"], planGas: bigint): TxRequest {
  const { gasDefaulted, ...rest } = t;
  return { ...rest, from: t.from ?? from, gas: gasDefaulted ? planGas : t.gas };
}

callRoutes.post("/call", async (c) => {
  const secret = bearer(c);
  const asked = txRequest(object(await jsonBody(c), TX_FIELDS), configOf(c.env).maxGas, true);
  const run = await admit(c, { secret, scope: "read", runs: [{ kind: "call", gas: asked.gas, gasDefaulted: asked.gasDefaulted }] });
  const { runId, result } = await runCall(run, settled(asked, run.caller.address, run.config.maxGas));
  if (!result.valid) throw badRequest(result.error, result.message);
  return c.json({ runId, ...presentExecution(result), cost: run.budget.cost() });
});

callRoutes.post("/simulate", async (c) => {
  const secret = bearer(c);
  const maxGas = configOf(c.env).maxGas;
  const f = object(await jsonBody(c), ["transactions", "stateOverrides", "blockOverrides", "validation", "trace", "abi"]);
  const txs = f.transactions;
  if (!Array.isArray(txs) || txs.length === 0) throw badRequest("invalid_transactions", "transactions must be a non-empty array of transaction objects");
  if (txs.length > CAPS.transactionsPerSimulation) throw badRequest("too_many_transactions", `a simulation runs at most ${CAPS.transactionsPerSimulation} transactions`);
  const asked = txs.map((t, i) => simulatedTx(object(t, SIMULATED_TX_FIELDS, `transactions[${i}]`), maxGas, `transactions[${i}]`));
  const opts = { stateOverrides: stateOverrides(f.stateOverrides), blockOverrides: blockOverrides(f.blockOverrides), validation: validation(f.validation), trace: traceRequest(f.trace) };
  const abi = abiErrors(f.abi);
  // Admission holds credit for the first transaction; the budget grows as the bundle runs on.
  const run = await admit(c, { secret, scope: "simulate", runs: [{ kind: "simulate", gas: asked[0].gas, gasDefaulted: asked[0].gasDefaulted }] });
  for (const a of asked) if (!a.gasDefaulted && a.gas > run.config.maxGas) throw badRequest("gas_limit_too_high", `gas must be at most ${run.config.maxGas}`);
  const reqs = asked.map((a) => settled(a, run.caller.address, run.config.maxGas));
  const { runId, results } = await runSimulate(run, reqs, opts);
  return c.json({ runId, results: results.map((s) => presentSimulated(s, abi)), cost: run.budget.cost() });
});
