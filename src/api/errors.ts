import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error a client caused or can act on: a stable code, an HTTP status and what to change. */
export class ApiError extends Error {
  override name = "Api.Error";
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);
