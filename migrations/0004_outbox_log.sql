-- The run log is written from the Durable Objects' outboxes through a queue (src/db/run-log-writer.ts):
-- rows arrive at least once and in any order, so no foreign keys, and every table has the indexes of
-- the queries the API makes. Keys, credit, reservations and idempotency answers live in Durable
-- Objects now (a project's Ledger, an account's object); projects and api_keys stay here as the
-- operator's view, written through (synced_seq: a row never replaces a newer one).
PRAGMA defer_foreign_keys = on;

CREATE TABLE runs_v2 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  chain_id INTEGER NOT NULL,
  -- call | simulate | send | deploy | query
  kind TEXT NOT NULL,
  to_address TEXT,
  selector TEXT,
  gas_limit INTEGER NOT NULL,
  gas_used INTEGER NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT,
  duration_ms INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  tx_hash TEXT,
  contract_address TEXT,
  created_at INTEGER NOT NULL,
  charge INTEGER NOT NULL DEFAULT 0
);
INSERT INTO runs_v2 (seq, id, project_id, key_id, chain_id, kind, to_address, selector, gas_limit, gas_used, status, error_code, duration_ms, block_number, tx_hash, contract_address, created_at, charge)
  SELECT seq, id, project_id, key_id, chain_id, kind, to_address, selector, gas_limit, gas_used, status, error_code, duration_ms, block_number, tx_hash, contract_address, created_at, charge FROM runs;

-- A committed transaction. stamp: its commit's logical time (orders a block); replay_key: its
-- replay record in R2 (replay_json: inline, rows from before); log_count: logs it emitted.
CREATE TABLE transactions_v2 (
  chain_id INTEGER NOT NULL,
  hash TEXT NOT NULL,
  run_id TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  stamp INTEGER NOT NULL,
  from_address TEXT NOT NULL,
  to_address TEXT,
  status INTEGER NOT NULL,
  gas_used INTEGER NOT NULL,
  effective_gas_price TEXT NOT NULL,
  contract_address TEXT,
  tx_json TEXT NOT NULL,
  replay_json TEXT,
  replay_key TEXT,
  log_count INTEGER NOT NULL,
  PRIMARY KEY (chain_id, hash)
);
INSERT INTO transactions_v2 (chain_id, hash, run_id, block_number, stamp, from_address, to_address, status, gas_used, effective_gas_price, contract_address, tx_json, replay_json, replay_key, log_count)
  SELECT t.chain_id, t.hash, t.run_id, t.block_number, COALESCE((SELECT r.created_at FROM runs r WHERE r.id = t.run_id), 0) * 1000 + t.run_seq % 1000,
    t.from_address, t.to_address, t.status, t.gas_used, t.effective_gas_price, t.contract_address, t.tx_json, t.replay_json, NULL,
    (SELECT COUNT(*) FROM logs l WHERE l.run_id = t.run_id)
  FROM transactions t;

CREATE TABLE logs_v2 (
  run_id TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  chain_id INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  stamp INTEGER NOT NULL,
  tx_hash TEXT NOT NULL,
  address TEXT NOT NULL,
  topic0 TEXT,
  topic1 TEXT,
  topic2 TEXT,
  topic3 TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, log_index)
);
INSERT INTO logs_v2 (run_id, log_index, chain_id, block_number, stamp, tx_hash, address, topic0, topic1, topic2, topic3, data)
  SELECT l.run_id, l.log_index, l.chain_id, l.block_number, COALESCE((SELECT t.stamp FROM transactions_v2 t WHERE t.run_id = l.run_id), 0),
    l.tx_hash, l.address, l.topic0, l.topic1, l.topic2, l.topic3, l.data
  FROM logs l;

DROP TABLE logs;
DROP TABLE transactions;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;
ALTER TABLE transactions_v2 RENAME TO transactions;
ALTER TABLE logs_v2 RENAME TO logs;

CREATE INDEX runs_by_project ON runs(project_id, seq DESC);
CREATE INDEX runs_by_age ON runs(project_id, created_at);
CREATE INDEX runs_by_tx ON runs(chain_id, tx_hash) WHERE tx_hash IS NOT NULL;
CREATE INDEX transactions_by_block ON transactions(chain_id, block_number, stamp, hash);
CREATE INDEX transactions_by_run ON transactions(run_id);
CREATE INDEX logs_in_order ON logs(chain_id, block_number, stamp, tx_hash, log_index);
CREATE INDEX logs_by_address ON logs(chain_id, address, block_number);
CREATE INDEX logs_by_topic0 ON logs(chain_id, topic0, block_number);

ALTER TABLE projects ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE projects ADD COLUMN synced_seq INTEGER NOT NULL DEFAULT 0;

-- Keys arrive from the ledger in any order with their project: no foreign key.
CREATE TABLE api_keys_v2 (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  scopes TEXT NOT NULL DEFAULT 'read simulate send',
  address TEXT NOT NULL,
  funded_at INTEGER,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER,
  synced_seq INTEGER NOT NULL DEFAULT 0
);
INSERT INTO api_keys_v2 (id, project_id, key_hash, prefix, scopes, address, funded_at, created_at, last_used_at, revoked_at)
  SELECT id, project_id, key_hash, prefix, scopes, address, funded_at, created_at, last_used_at, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_v2 RENAME TO api_keys;
CREATE INDEX api_keys_by_project ON api_keys(project_id);

DROP TABLE idempotency;
DROP TABLE reservations;
