-- +goose Up
-- Staff who sign in through an OpenID provider are linked to it by the
-- issuer and the subject the provider gives them (never by e-mail alone);
-- such a user may have no password (password_hash is then empty).
ALTER TABLE users ADD COLUMN oidc_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN oidc_subject TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_oidc_identity ON users(oidc_issuer, oidc_subject) WHERE oidc_subject <> '';

-- Settings an admin changes at run time, such as turning password sign-in
-- off once single sign-on works.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP INDEX users_oidc_identity;
ALTER TABLE users DROP COLUMN oidc_subject;
ALTER TABLE users DROP COLUMN oidc_issuer;
