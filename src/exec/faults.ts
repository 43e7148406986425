/**
 * Test-only fault injection: with FAULT_INJECTION = "on" (set by the test configuration only,
 * never by wrangler.toml) a request's `x-fault` header makes the commit coordinator die at a
 * chosen point, leaving the accounts as a crashed Worker would.
 */
export type Fault = "die-after-prepare" | "die-after-decide";

const FAULTS: readonly Fault[] = ["die-after-prepare", "die-after-decide"];

export function faultOf(enabled: string | undefined, header: string | undefined): Fault | undefined {
  if (enabled !== "on" || header === undefined) return undefined;
  return FAULTS.find((f) => f === header);
}

/** Thrown where the coordinator "dies": nothing after it runs, no clean-up either. */
export class InjectedFault extends Error {
  override name = "Exec.InjectedFault";
  constructor(readonly fault: Fault) {
    super(`fault injected: ${fault}`);
  }
}
