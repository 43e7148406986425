import { markFunded, type ApiKey } from "../db/keys.ts";
import { bigIntToHex } from "../primitives/hex.ts";
import type { RunContext } from "./context.ts";

/**
 * Gas costs no ether here, but value transfers need a balance: each key's account is granted
 * FAUCET_WEI once, on the key's first request. The grant is idempotent in the account's object
 * (keyed by the key id), so concurrent first requests credit it once.
 */
export async function fundOnce(ctx: RunContext, key: ApiKey): Promise<void> {
  if (key.funded || ctx.config.faucetWei === 0n) return;
  await ctx.chain.account(key.address).grant(`faucet:${key.id}`, bigIntToHex(ctx.config.faucetWei));
  await markFunded(ctx.env.DB, key.id);
  key.funded = true;
}
