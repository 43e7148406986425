import type { Env } from "../env.ts";
import type { Address } from "../primitives/hex.ts";
import type { AccountExpect, AccountWrite, CommitReply } from "../durable/protocol.ts";
import { accountStub } from "../state/do-source.ts";

export type Participants = Map<Address, { expect: AccountExpect; write: AccountWrite | null }>;

/**
 * Commits a run's writes if everything it read is still current. One account: one round trip.
 * Several: prepare all (each validates and holds its keys), record the decision durably in D1,
 * then tell each to apply. A participant left prepared (coordinator gone) resolves itself from
 * the decision record (see Account.alarm). Returns false on conflict: the caller re-executes.
 */
export async function commit(env: Env, chainId: bigint, txId: string, parts: Participants): Promise<boolean> {
  const entries = [...parts].filter(([, p]) => p.write !== null || p.expect.account !== undefined || p.expect.storage.length > 0);
  if (entries.length === 1) {
    const [address, p] = entries[0];
    const r = (await accountStub(env, chainId, address).commit(txId, p.expect, p.write)) as CommitReply;
    return r.ok;
  }
  const replies = await Promise.all(entries.map(([a, p]) => accountStub(env, chainId, a).prepare(txId, p.expect, p.write) as Promise<CommitReply>));
  const prepared = entries.filter((_, i) => replies[i].ok);
  if (prepared.length < entries.length) {
    await decide(env, txId, "abort");
    await Promise.all(prepared.map(([a]) => accountStub(env, chainId, a).finish(txId, "abort")));
    return false;
  }
  if (env.FAULT === "die-after-prepare") throw new Error("fault injected: coordinator died after prepare");
  const outcome = await decide(env, txId, "commit");
  await Promise.all(entries.map(([a]) => accountStub(env, chainId, a).finish(txId, outcome)));
  return outcome === "commit";
}

/** Records the outcome unless one is recorded already (a recovering account may have aborted). */
async function decide(env: Env, txId: string, outcome: "commit" | "abort"): Promise<"commit" | "abort"> {
  await env.DB.prepare(`INSERT OR IGNORE INTO commit_decisions (tx_id, outcome, decided_at) VALUES (?, ?, ?)`).bind(txId, outcome, Date.now()).run();
  const row = await env.DB.prepare(`SELECT outcome FROM commit_decisions WHERE tx_id = ?`).bind(txId).first<{ outcome: "commit" | "abort" }>();
  return row?.outcome ?? "abort";
}
