-- +goose Up
-- Action plans: focus areas taken from a released result of a closed wave,
-- and the actions under them. A focus area keeps the name the released view
-- gave its metric; progress is read from the released views at request
-- time, so no number is stored here.
CREATE TABLE focus_areas (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave INTEGER NOT NULL,
    source_kind TEXT NOT NULL,
    metric TEXT NOT NULL,
    metric_name TEXT NOT NULL DEFAULT '',
    dimension TEXT NOT NULL DEFAULT '',
    option_label TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX focus_areas_survey ON focus_areas(survey_id);

CREATE TABLE plan_actions (
    id TEXT PRIMARY KEY,
    focus_id TEXT NOT NULL REFERENCES focus_areas(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    owner_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    due TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    suggestion TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX plan_actions_focus ON plan_actions(focus_id);

-- "What we heard" pages: what the lead chose to share with employees for a
-- closed wave (metric keys and focus area ids, never numbers), at a public
-- slug.
CREATE TABLE heard_pages (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave INTEGER NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    message TEXT NOT NULL DEFAULT '',
    metrics TEXT NOT NULL DEFAULT '[]',
    focus_ids TEXT NOT NULL DEFAULT '[]',
    revision INTEGER NOT NULL DEFAULT 0,
    published_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    UNIQUE (survey_id, wave)
);

-- +goose Down
DROP TABLE heard_pages;
DROP TABLE plan_actions;
DROP TABLE focus_areas;
