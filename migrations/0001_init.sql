-- Projects own API keys and chains; keys are stored only as SHA-256 hashes.
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id),
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  -- The EVM account that sends this key's transactions.
  address TEXT NOT NULL,
  funded INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

-- One row per run: call, simulate, send, deploy.
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
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
  created_at INTEGER NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX runs_by_project ON runs(project_id, seq DESC);

-- Logs of committed runs, for later queries.
CREATE TABLE logs (
  run_id TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  address TEXT NOT NULL,
  topics TEXT NOT NULL,
  data TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (run_id, log_index)
);

-- Durable outcome of a multi-account commit: written once, before any account applies.
CREATE TABLE commit_decisions (
  tx_id TEXT PRIMARY KEY,
  outcome TEXT NOT NULL CHECK (outcome IN ('commit', 'abort')),
  decided_at INTEGER NOT NULL
);

-- Replays of a send with the same Idempotency-Key return the first result.
CREATE TABLE idempotency (
  key_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, idem_key)
);
