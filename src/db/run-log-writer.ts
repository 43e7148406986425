import type { Ledger, LedgerRecord } from "../durable/ledger/ledger.ts";
import type { OutboxMessage, OutboxRow } from "../durable/outbox.ts";
import type { Env } from "../env.ts";
import { errorFields, logEvent } from "../primitives/log.ts";
import type { AccountRecord, CommitRecord, RunRow } from "../records/run.ts";

const HOUR_MS = 3_600_000;

/** Where a replay record lives in R2. */
export const replayKey = (chainId: string, hash: string) => `replay/${chainId}/${hash}.json`;

/**
 * The queue's consumer: for each message, reads the rows back from the object that wrote them,
 * writes them to D1 (`INSERT OR IGNORE` by id, so redelivery changes nothing; rollups only for a
 * row that was new), replays to R2, settles committed sends with their ledger (by run id, once),
 * then confirms to the object, which forgets them. A message that fails is retried by the queue
 * (and dead-lettered after its retries); its rows stay in the object's outbox until confirmed.
 */
export async function writeRunLog(env: Env, batch: MessageBatch<OutboxMessage>): Promise<void> {
  await Promise.all(
    batch.messages.map(async (m) => {
      try {
        await deliver(env, m.body);
        m.ack();
      } catch (e) {
        logEvent("error", "run_log_write_failed", { source: m.body.from.kind, name: m.body.from.name, seqs: m.body.seqs.join(","), ...errorFields(e) });
        m.retry();
      }
    }),
  );
}

async function deliver(env: Env, msg: OutboxMessage): Promise<void> {
  const source = msg.from.kind === "ledger" ? env.LEDGERS.get(env.LEDGERS.idFromName(msg.from.name)) : env.ACCOUNTS.get(env.ACCOUNTS.idFromName(msg.from.name));
  const rows = (await source.outboxBodies(msg.seqs)) as OutboxRow[];
  if (rows.length === 0) return;
  const statements: D1PreparedStatement[] = [];
  const settles: Promise<unknown>[] = [];
  for (const { seq, body } of rows) {
    const rec = body as LedgerRecord | AccountRecord;
    if (rec.type === "commit") {
      await env.BLOBS.put(replayKey(rec.record.run.chainId, rec.record.tx.hash), rec.record.replay);
      statements.push(...commitStatements(env.DB, rec.record));
    } else statements.push(...ledgerStatements(env.DB, rec, seq));
  }
  if (statements.length > 0) await env.DB.batch(statements);
  for (const { body } of rows) {
    const rec = body as LedgerRecord | AccountRecord;
    if (rec.type === "commit") settles.push(ledgerOf(env, rec.record.run.projectId).settle({ reservationId: rec.reservationId, runs: [{ runId: rec.record.run.id, kind: rec.record.run.kind, gasUsed: rec.record.run.gasUsed, charge: rec.record.run.charge, sender: msg.from.name as never }], close: false }));
  }
  await Promise.all(settles);
  await source.outboxDelivered(rows.map((r) => r.seq));
}

const ledgerOf = (env: Env, projectId: string): DurableObjectStub<Ledger> => env.LEDGERS.get(env.LEDGERS.idFromName(projectId));

/** A run's row, and its hour of usage when the row is new (so a redelivered run is counted once). */
function runStatements(db: D1Database, r: RunRow): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO runs (id, project_id, key_id, chain_id, kind, to_address, selector, gas_limit, gas_used, status, error_code, duration_ms, block_number, tx_hash, contract_address, created_at, charge)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(r.id, r.projectId, r.keyId, Number(r.chainId), r.kind, r.to, r.selector, Number(r.gasLimit), Number(r.gasUsed), r.status, r.errorCode, r.durationMs, Number(r.blockNumber), r.txHash, r.contractAddress, r.createdAt, Number(r.charge)),
    db
      .prepare(
        `INSERT INTO usage_hourly (project_id, hour, kind, runs, gas, charge)
         SELECT project_id, CAST(created_at / ${HOUR_MS} AS INTEGER), kind, 1, gas_used, charge FROM runs WHERE id = ? AND changes() = 1
         ON CONFLICT (project_id, hour, kind) DO UPDATE SET runs = runs + 1, gas = gas + excluded.gas, charge = charge + excluded.charge`,
      )
      .bind(r.id),
  ];
}

function commitStatements(db: D1Database, c: CommitRecord): D1PreparedStatement[] {
  const r = c.run, t = c.tx;
  return [
    ...runStatements(db, r),
    db
      .prepare(
        `INSERT OR IGNORE INTO transactions (chain_id, hash, run_id, block_number, stamp, from_address, to_address, status, gas_used, effective_gas_price, contract_address, tx_json, replay_key, log_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(Number(r.chainId), t.hash, r.id, Number(r.blockNumber), c.stamp, t.from, t.to, t.status, Number(t.gasUsed), t.effectiveGasPrice, t.contractAddress, JSON.stringify(t.json), replayKey(r.chainId, t.hash), c.logs.length),
    db
      .prepare(
        `INSERT OR IGNORE INTO logs (run_id, log_index, chain_id, block_number, stamp, tx_hash, address, topic0, topic1, topic2, topic3, data)
         SELECT ?, CAST(key AS INTEGER), ?, ?, ?, ?, json_extract(value, '$.address'), json_extract(value, '$.topics[0]'), json_extract(value, '$.topics[1]'),
           json_extract(value, '$.topics[2]'), json_extract(value, '$.topics[3]'), json_extract(value, '$.data') FROM json_each(?)`,
      )
      .bind(r.id, Number(r.chainId), Number(r.blockNumber), c.stamp, t.hash, JSON.stringify(c.logs)),
  ];
}

/** The operator's view of projects and keys: a row replaces an older one (by the outbox's order), never a newer one. */
function ledgerStatements(db: D1Database, rec: LedgerRecord, seq: number): D1PreparedStatement[] {
  switch (rec.type) {
    case "runs":
      return rec.rows.flatMap((r) => runStatements(db, r));
    case "run":
      return runStatements(db, rec.row);
    case "grant":
      return [db.prepare(`INSERT OR IGNORE INTO credit_grants (id, project_id, key_id, amount, created_at) VALUES (?, ?, NULL, ?, ?)`).bind(rec.id, rec.projectId, rec.amount, rec.createdAt)];
    case "project": {
      const p = rec.project;
      return [
        db
          .prepare(
            `INSERT INTO projects (id, name, chain_id, created_at, credit, max_gas_per_run, requests_per_minute, retention_days, synced_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, credit = excluded.credit, max_gas_per_run = excluded.max_gas_per_run,
               requests_per_minute = excluded.requests_per_minute, retention_days = excluded.retention_days, synced_seq = excluded.synced_seq
             WHERE excluded.synced_seq > projects.synced_seq`,
          )
          .bind(p.id, p.name, p.chain_id, p.created_at, p.credit, p.max_gas_per_run, p.requests_per_minute, p.retention_days, seq),
      ];
    }
    case "key": {
      const k = rec.key;
      return [
        db
          .prepare(
            `INSERT INTO api_keys (id, project_id, key_hash, prefix, scopes, address, funded_at, created_at, last_used_at, revoked_at, synced_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET scopes = excluded.scopes, funded_at = excluded.funded_at, last_used_at = excluded.last_used_at,
               revoked_at = excluded.revoked_at, synced_seq = excluded.synced_seq
             WHERE excluded.synced_seq > api_keys.synced_seq`,
          )
          .bind(k.id, rec.projectId, k.key_hash, k.prefix, k.scopes, k.address, k.funded_at, k.created_at, k.last_used_at, k.revoked_at, seq),
      ];
    }
  }
}
