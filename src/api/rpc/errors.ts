import { ServiceError } from "../../exec/errors.ts";

/** A JSON-RPC error object (JSON-RPC 2.0 and the Ethereum conventions, EIP-1474). */
export class RpcError extends Error {
  override name = "Rpc.Error";
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** geth's code for transaction and state errors ("nonce too low", "insufficient funds", ...). */
export const SERVER_ERROR = -32000;
/** EIP-1474: limit exceeded (rate, result size). */
export const LIMIT_EXCEEDED = -32005;
/** Reverted execution: `data` carries the revert bytes (geth, ethers, viem decode it). */
export const EXECUTION_REVERTED = 3;

export const invalidParams = (message: string, code = "invalid_params") => new RpcError(INVALID_PARAMS, message, { code });

/**
 * A service error in JSON-RPC terms. The stable code of the REST API travels in `data.code`, so
 * a client can tell `insufficient_credit` from `conflict` without parsing messages.
 */
export function fromServiceError(e: ServiceError): RpcError {
  const data = { code: e.code };
  if (e.status === 400) return new RpcError(e.code.startsWith("invalid") || e.code === "unknown_field" || e.code === "missing_field" ? INVALID_PARAMS : SERVER_ERROR, e.message, data);
  if (e.status === 429) return new RpcError(LIMIT_EXCEEDED, e.message, data);
  if (e.status === 413) return new RpcError(e.code.endsWith("_cap") ? SERVER_ERROR : LIMIT_EXCEEDED, e.message, data);
  if (e.status === 401 || e.status === 403) return new RpcError(-32001, e.message, data);
  if (e.status === 402) return new RpcError(-32002, e.message, data);
  return new RpcError(SERVER_ERROR, e.message, data);
}

export { ServiceError };
