-- +goose Up
-- Staff accounts, sessions, tokens and the audit log.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id TEXT NOT NULL DEFAULT '',
    actor_email TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events(at);

-- The item bank beyond the built-in framework.
CREATE TABLE custom_constructs (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE custom_items (
    key TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    scale TEXT NOT NULL,
    construct TEXT NOT NULL,
    behaviour TEXT NOT NULL DEFAULT '',
    perspective TEXT NOT NULL DEFAULT '',
    reverse BOOLEAN NOT NULL DEFAULT FALSE,
    source TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

-- Surveys and their waves. design holds the frozen-at-launch JSON: items in
-- order, demographics, comment prompts, rotation.
CREATE TABLE surveys (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    design TEXT NOT NULL,
    min_group_size INTEGER NOT NULL,
    min_sensitive_group_size INTEGER NOT NULL,
    min_distribution_size INTEGER NOT NULL,
    min_comment_group_size INTEGER NOT NULL,
    practical_gap_points DOUBLE PRECISION NOT NULL,
    cadence TEXT NOT NULL,
    opens_at TIMESTAMPTZ NOT NULL,
    wave_days INTEGER NOT NULL,
    expected_headcount INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    launched_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ
);

CREATE TABLE waves (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    opens_at TIMESTAMPTZ NOT NULL,
    closes_at TIMESTAMPTZ NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    items TEXT NOT NULL DEFAULT '[]',
    UNIQUE (survey_id, number)
);

-- Invite codes are stored only as hashes, with a used flag and no time of use.
CREATE TABLE invite_batches (
    id TEXT PRIMARY KEY,
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    segment TEXT NOT NULL DEFAULT '{}',
    count INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX invite_batches_wave ON invite_batches(wave_id);

CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES invite_batches(id) ON DELETE CASCADE,
    wave_id TEXT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX invites_batch ON invites(batch_id, used);

-- Responses: a random id, the wave, and compact blobs (one byte per demographic,
-- one byte per item in survey order). No time, no client data, no rowid: rows
-- are inserted in shuffled batches; PostgreSQL heap order is not exposed by any API.
CREATE TABLE responses (
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    demo BYTEA NOT NULL,
    answers BYTEA NOT NULL,
    PRIMARY KEY (wave_id, id)
);

-- Comments are detached from responses: no response id, only the non-sensitive
-- segment attributes used to filter them. Random ids give a stable shuffle.
CREATE TABLE comments (
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    prompt TEXT NOT NULL,
    body TEXT NOT NULL,
    segment TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (wave_id, id)
);

-- +goose Down
DROP TABLE comments;
DROP TABLE responses;
DROP TABLE invites;
DROP TABLE invite_batches;
DROP TABLE waves;
DROP TABLE surveys;
DROP TABLE custom_items;
DROP TABLE custom_constructs;
DROP TABLE audit_events;
DROP TABLE setup_tokens;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
