import type { KeyView as ApiKey } from "../../durable/ledger/protocol.ts";
import type { RunContext } from "../../exec/context.ts";
import type { TxResult } from "../../evm/types.ts";
import { bytesToHex } from "../../primitives/hex.ts";
import { decodeRevert } from "../../primitives/revert.ts";
import { haltError } from "../../trace/geth-errors.ts";
import { EXECUTION_REVERTED, RpcError, SERVER_ERROR } from "./errors.ts";
import { txInvalidError } from "./tx-errors.ts";

/** A JSON-RPC method: params in, result out, or an RpcError/ServiceError thrown. */
export type Method = (ctx: RunContext, key: ApiKey, params: unknown) => Promise<unknown>;

/** An execution's failure as JSON-RPC reports it: reverts as code 3 with their data. */
export function executionError(r: TxResult): RpcError | undefined {
  if (!r.valid) return txInvalidError(r);
  if (r.status === "success") return undefined;
  if (r.status === "reverted") {
    const reason = decodeRevert(r.output);
    return new RpcError(EXECUTION_REVERTED, reason === undefined ? "execution reverted" : `execution reverted: ${reason.reason}`, bytesToHex(r.output));
  }
  return new RpcError(SERVER_ERROR, haltError(r.haltReason), { code: r.haltReason });
}

