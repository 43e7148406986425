import type { KeyView as ApiKey, Scope } from "../durable/ledger/protocol.ts";
import { ServiceError } from "./errors.ts";

/** Refuses, with 403 `insufficient_scope`, a key that lacks `scope` (see `Scope` in src/durable/ledger/protocol.ts). */
export function needScope(key: ApiKey, scope: Scope): void {
  if (!key.scopes.includes(scope)) throw new ServiceError(403, "insufficient_scope", `this API key lacks the "${scope}" scope`);
}
