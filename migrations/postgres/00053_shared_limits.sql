-- +goose Up
-- Limits that replicas on PostgreSQL share (internal/limits); a SQLite
-- server keeps them in memory and leaves these tables empty.

-- Failed sign-ins per account and per client within a window. Keys are
-- hashes: no e-mail address or client address is stored.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    window_start TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_window ON login_failures(window_start);

-- Live server processes. Respondents' addresses never leave a process's
-- memory (docs/anonymity.md), so the respond limit is not kept here; each
-- replica enforces its share of it, the configured rate divided by the
-- replicas seen in the last 30 seconds.
CREATE TABLE replicas (
    id TEXT PRIMARY KEY,
    seen_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE replicas;
DROP TABLE login_failures;
