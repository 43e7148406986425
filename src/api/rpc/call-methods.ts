import { CAPS } from "../../exec/caps.ts";
import { runAccessList, runCall, runEstimate } from "../../exec/runs.ts";
import { needScope } from "../../exec/scopes.ts";
import { bigIntToHex, bytesToHex, wordToHex } from "../../primitives/hex.ts";
import { INTERNAL_ERROR, RpcError, SERVER_ERROR } from "./errors.ts";
import { executionError, type Method } from "./execution.ts";
import { callRequest, overrides, params } from "./params.ts";
import { pinned, stateBlock } from "./state-block.ts";

/** eth_call, eth_estimateGas, eth_createAccessList: executions that commit nothing. */

export const call: Method = async (ctx, key, raw) => {
  needScope(key, "read");
  const [txArg, block, state, blockOv] = params(raw, 1, 4);
  const at = await stateBlock(ctx, block);
  const { result } = await runCall(ctx, callRequest(txArg, key.address, ctx.config.maxGas, CAPS.callDataBytes), pinned(ctx, overrides(state, blockOv), at));
  const err = executionError(result);
  if (err !== undefined) throw err;
  return bytesToHex(result.valid ? result.output : new Uint8Array(0));
};

export const estimateGas: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [txArg, block, state, blockOv] = params(raw, 1, 4);
  const at = await stateBlock(ctx, block);
  const req = callRequest(txArg, key.address, ctx.config.maxGas, CAPS.callDataBytes);
  const est = await runEstimate(ctx, req, pinned(ctx, overrides(state, blockOv), at));
  if ("gas" in est) return bigIntToHex(est.gas);
  // As geth: running out of gas with all the gas allowed is "gas required exceeds allowance"
  // (viem and ethers recognise it); reverts and other failures are reported as they are.
  const f = est.failed;
  if (f.valid && f.status !== "success" && f.status !== "reverted" && f.haltReason === "out_of_gas") throw new RpcError(SERVER_ERROR, `gas required exceeds allowance (${req.gas})`, { code: "gas_required_exceeds_allowance" });
  throw executionError(f) ?? new RpcError(INTERNAL_ERROR, "the estimate failed without an error");
};

export const createAccessList: Method = async (ctx, key, raw) => {
  needScope(key, "simulate");
  const [txArg, block, state] = params(raw, 1, 3);
  const at = await stateBlock(ctx, block);
  const a = await runAccessList(ctx, callRequest(txArg, key.address, ctx.config.maxGas, CAPS.callDataBytes), pinned(ctx, overrides(state, undefined), at));
  const list = a.accessList.map((i) => ({ address: i.address, storageKeys: i.storageKeys.map(wordToHex) }));
  const out: Record<string, unknown> = { accessList: list, gasUsed: bigIntToHex(a.result.valid ? a.result.gasUsed : 0n) };
  const err = executionError(a.result);
  if (err !== undefined) out.error = err.message;
  return out;
};
