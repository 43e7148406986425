import { CAPS } from "../../exec/caps.ts";
import { runSendSigned } from "../../exec/runs.ts";
import { needScope } from "../../exec/scopes.ts";
import { decodeRawTx, RawTxError } from "../../evm/tx/raw.ts";
import { invalidParams, RpcError, SERVER_ERROR } from "./errors.ts";
import type { Method } from "./execution.ts";
import { data, params } from "./params.ts";
import { txInvalidError } from "./tx-errors.ts";

/** eth_sendRawTransaction: a signed transaction, committed like a REST send. */
export const sendRawTransaction: Method = async (ctx, key, raw) => {
  needScope(key, "send");
  const [rawTx] = params(raw, 1, 1);
  let signed;
  try {
    signed = decodeRawTx(data(rawTx, "the transaction", CAPS.callDataBytes + 4096));
  } catch (e) {
    if (e instanceof RawTxError) throw invalidParams(`invalid transaction: ${e.message}`, "invalid_transaction");
    throw e;
  }
  if (signed.tx.chainId === undefined) throw new RpcError(SERVER_ERROR, "only replay-protected (EIP-155) transactions are accepted", { code: "unprotected_transaction" });
  if (signed.tx.chainId !== ctx.chain.id) throw new RpcError(SERVER_ERROR, `invalid chain id ${signed.tx.chainId}: this chain is ${ctx.chain.id}`, { code: "wrong_chain_id" });
  if (signed.tx.gasLimit > ctx.config.maxGas) throw new RpcError(SERVER_ERROR, `gas limit ${signed.tx.gasLimit} is above this service's cap of ${ctx.config.maxGas}`, { code: "gas_limit_too_high" });
  const out = await runSendSigned(ctx, signed);
  if (out.kind === "invalid") throw txInvalidError(out.invalid);
  if (out.kind === "replay") throw new RpcError(SERVER_ERROR, "already known", { code: "already_known" });
  return out.hash;
};
