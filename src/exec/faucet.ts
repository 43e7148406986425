import type { Ledger } from "../durable/ledger/ledger.ts";
import type { RunContext } from "./context.ts";

/**
 * Gas costs no ether here, but value transfers need a balance: each key's account is granted
 * FAUCET_WEI once, on the key's first request. The grant is idempotent in the account's object
 * (keyed by the key id), so concurrent first requests credit it once; the ledger then notes it.
 */
export async function fundOnce(ctx: RunContext, ledger: DurableObjectStub<Ledger>): Promise<void> {
  const key = ctx.caller;
  if (key.funded || ctx.config.faucetWei === 0n) return;
  await ctx.chain.grant(key.address, `faucet:${key.id}`, ctx.config.faucetWei);
  ctx.defer(ledger.markFunded(key.id));
  key.funded = true;
}
