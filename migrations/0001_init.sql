-- A project owns its API keys and its chain (one chain id per project: its accounts' objects are
-- named "<chainId>:<address>", so no project can reach another's state). Issue 4 adds credit and
-- plan limits here.
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  chain_id INTEGER NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- API keys are stored only as a SHA-256 hash, with a short visible prefix to recognise them.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id),
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  -- Space-separated: read, simulate, send, admin (enforced from issue 4 on).
  scopes TEXT NOT NULL DEFAULT 'read simulate send',
  -- The key's EVM account: the sender of its /v1/send and /v1/contracts transactions.
  address TEXT NOT NULL,
  -- When the key's account received its development faucet grant (NULL: not yet).
  funded_at INTEGER,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_keys_by_project ON api_keys(project_id);

-- One row per run: call, simulate, send, deploy. seq orders them (newest first in /v1/runs).
CREATE TABLE runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  chain_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('call', 'simulate', 'send', 'deploy')),
  to_address TEXT,
  selector TEXT,
  gas_limit INTEGER NOT NULL,
  gas_used INTEGER NOT NULL,
  -- success | reverted | halted (executed); invalid (refused by the transaction rules); error (cap, conflict, internal)
  status TEXT NOT NULL,
  error_code TEXT,
  duration_ms INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  -- Committed runs (send, deploy): the transaction and, for a deploy, the created contract.
  tx_hash TEXT,
  contract_address TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX runs_by_project ON runs(project_id, seq DESC);
CREATE INDEX runs_by_tx ON runs(chain_id, tx_hash) WHERE tx_hash IS NOT NULL;

-- Logs of committed runs, for later queries (eth_getLogs-style: by chain, block, address, topic).
CREATE TABLE logs (
  run_id TEXT NOT NULL REFERENCES runs(id),
  log_index INTEGER NOT NULL,
  chain_id INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  tx_hash TEXT NOT NULL,
  address TEXT NOT NULL,
  topic0 TEXT,
  topic1 TEXT,
  topic2 TEXT,
  topic3 TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, log_index)
);
CREATE INDEX logs_by_block ON logs(chain_id, block_number);
CREATE INDEX logs_by_address ON logs(chain_id, address, block_number);

-- A send with an Idempotency-Key: reserved before it runs, completed with its answer; a replay
-- returns that answer and executes nothing.
CREATE TABLE idempotency (
  key_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, idem_key)
);
