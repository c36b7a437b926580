-- +goose Up
-- Ballots (survey/ballots.go): one blind-signature key per wave and segment;
-- a spent ballot keeps only its token's hash, with no time and no link to
-- the invitation that took it. invites.used now means "took a ballot", and
-- blinded_hash lets the same ballot request be answered twice.
CREATE TABLE ballot_keys (
    id TEXT PRIMARY KEY,
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    segment TEXT NOT NULL,
    private_key BLOB NOT NULL,
    UNIQUE (wave_id, segment)
);
CREATE TABLE spent_ballots (
    token_hash TEXT PRIMARY KEY,
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE
) WITHOUT ROWID;
ALTER TABLE invites ADD COLUMN blinded_hash TEXT NOT NULL DEFAULT '';

-- The people list of a wave (survey/peoplelist.go), deleted when the wave
-- closes. code is the person's short code, kept for the links in their
-- invitation and reminders.
CREATE TABLE wave_people (
    id TEXT PRIMARY KEY,
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    code TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    UNIQUE (wave_id, email)
);

-- E-mail to send (survey/outbox.go): one row per person, kind and round.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES wave_people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    round INTEGER NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at DATETIME NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, kind, round)
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_at);

CREATE TABLE mail_templates (
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (survey_id, kind)
);

-- +goose Down
DROP TABLE mail_templates;
DROP TABLE mail_outbox;
DROP TABLE wave_people;
ALTER TABLE invites DROP COLUMN blinded_hash;
DROP TABLE spent_ballots;
DROP TABLE ballot_keys;
