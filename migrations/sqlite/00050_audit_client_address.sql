-- +goose Up
-- The client address of a staff action, as the server's trusted IP
-- extractor saw it (ALLYPULSE_TRUSTED_PROXIES); empty for the command line.
-- Respondents never appear in the audit log.
ALTER TABLE audit_events ADD COLUMN client_address TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_events DROP COLUMN client_address;
