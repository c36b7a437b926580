-- +goose Up
-- Every stored change of a survey raises its revision; a change read from an
-- older revision is refused, so a PATCH and a launch racing on one draft
-- cannot overwrite each other.
ALTER TABLE surveys ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE surveys DROP COLUMN revision;
