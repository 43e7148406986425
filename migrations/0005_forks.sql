-- Persistent forks (fork mode): a chain of a project that starts from an upstream network's state
-- at one block. Its chain id is its own (so its transactions cannot be replayed on the network);
-- its accounts' objects are named "fork:<chainId>:<network>:<blockHash>:<address>", apart from
-- every project chain. Its runs, transactions and logs are rows of its chain id.
CREATE TABLE forks (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  network TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  block_timestamp INTEGER NOT NULL,
  chain_id INTEGER NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE INDEX forks_by_project ON forks(project_id, created_at);
