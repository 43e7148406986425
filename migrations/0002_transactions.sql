-- Committed transactions (REST sends and deployments, eth_sendRawTransaction), for JSON-RPC's
-- eth_getTransactionByHash, eth_getTransactionReceipt and blocks. Written in the same D1 batch
-- as the transaction's run and logs, so a transaction, its receipt and its logs appear together.
CREATE TABLE transactions (
  chain_id INTEGER NOT NULL,
  hash TEXT NOT NULL,
  run_id TEXT NOT NULL REFERENCES runs(id),
  -- The run's sequence number: orders the transactions of a block (transactionIndex).
  run_seq INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  from_address TEXT NOT NULL,
  to_address TEXT,
  -- 1 success, 0 reverted or halted (the transaction committed either way).
  status INTEGER NOT NULL,
  gas_used INTEGER NOT NULL,
  effective_gas_price TEXT NOT NULL,
  contract_address TEXT,
  -- The transaction as eth_getTransactionByHash shows it, without its block fields.
  tx_json TEXT NOT NULL,
  -- The transaction and every value it read (src/exec/replay.ts): debug_traceTransaction replays
  -- it exactly, though state is kept at the latest block only.
  replay_json TEXT NOT NULL,
  PRIMARY KEY (chain_id, hash)
);
CREATE INDEX transactions_by_block ON transactions(chain_id, block_number, run_seq);
