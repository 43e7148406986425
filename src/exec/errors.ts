/** HTTP statuses a client-visible error may carry (DESIGN.md, "Errors"). */
export type ErrorStatus = 400 | 401 | 403 | 402 | 404 | 409 | 413 | 429 | 500 | 502 | 503;

/**
 * An error a client caused or can act on: a stable machine code, an HTTP status and a message
 * that says what to change. The one error class of the service; `app.onError` renders it.
 */
export class ServiceError extends Error {
  override name = "Service.Error";

  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const badRequest = (code: string, message: string) => new ServiceError(400, code, message);
export const tooLarge = (code: string, message: string) => new ServiceError(413, code, message);

/**
 * A persistent fork's account object that could not read its base from the network throws its
 * ServiceError's code and message over RPC, where the class is lost ("upstream_…: message"):
 * the same error again, for the client.
 */
export function upstreamError(e: unknown): ServiceError | undefined {
  const m = e instanceof Error ? /^(upstream_[a-z_]+|network_not_found|block_not_found|insufficient_credit): (.*)$/s.exec(e.message) : null;
  if (m === null) return undefined;
  if (m[1] === "insufficient_credit") return new ServiceError(402, m[1], m[2]);
  return new ServiceError(m[1] === "upstream_round_trips_exceeded" || m[1] === "upstream_bytes_exceeded" ? 413 : m[1].startsWith("upstream") ? 502 : 404, m[1], m[2]);
}
