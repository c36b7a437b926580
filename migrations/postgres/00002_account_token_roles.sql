-- +goose Up
-- An API token acts with its creator's role or a lesser one stated at creation.
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_expires ON sessions(expires_at);

-- +goose Down
DROP INDEX sessions_expires;
ALTER TABLE api_tokens DROP COLUMN role;
