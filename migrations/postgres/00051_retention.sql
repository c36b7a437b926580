-- +goose Up
-- Retention per survey: the responses and comments of a wave closed for
-- longer than retention_months are deleted (0 keeps them). The wave keeps
-- the time they went, and its released snapshots stay, marked as outliving
-- the data they were computed from.
ALTER TABLE surveys ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 0;
ALTER TABLE waves ADD COLUMN responses_deleted_at TIMESTAMPTZ;
ALTER TABLE report_snapshots ADD COLUMN responses_deleted BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE report_snapshots DROP COLUMN responses_deleted;
ALTER TABLE waves DROP COLUMN responses_deleted_at;
ALTER TABLE surveys DROP COLUMN retention_months;
