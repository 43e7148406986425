-- Metering (pay per execution). Amounts are integer micro-units of the billing currency.

-- A project's credit and plan limits.
ALTER TABLE projects ADD COLUMN credit INTEGER NOT NULL DEFAULT 0;
-- Most gas one run may ask for (NULL: the service's MAX_GAS).
ALTER TABLE projects ADD COLUMN max_gas_per_run INTEGER;
-- Requests per minute per API key.
ALTER TABLE projects ADD COLUMN requests_per_minute INTEGER NOT NULL DEFAULT 600;

-- What each run was charged (settled in the same batch as its row).
ALTER TABLE runs ADD COLUMN charge INTEGER NOT NULL DEFAULT 0;

-- Credit held for runs under way: taken before a run, given back (less its charge) when it is
-- logged. A reservation whose Worker died is released after RESERVATION_TTL_MS.
CREATE TABLE reservations (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX reservations_by_age ON reservations(project_id, created_at);

-- Usage per project, hour and kind, kept exact with each settled run.
CREATE TABLE usage_hourly (
  project_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  kind TEXT NOT NULL,
  runs INTEGER NOT NULL,
  gas INTEGER NOT NULL,
  charge INTEGER NOT NULL,
  PRIMARY KEY (project_id, hour, kind)
);

-- Credit added by admins, for the audit trail.
CREATE TABLE credit_grants (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  key_id TEXT,
  amount INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
