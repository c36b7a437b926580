-- +goose Up
-- The release audit of a live wave judges each new snapshot together with
-- every earlier one (docs/anonymity.md, "The release audit"). It needs to
-- know which respondents each snapshot covered, at the granularity of
-- atoms: census holds the gzip-compressed counts of respondents by
-- demographic groups and answered items at the time of the snapshot. It is
-- never sent to a client.
ALTER TABLE report_snapshots ADD COLUMN census BYTEA;

-- +goose Down
ALTER TABLE report_snapshots DROP COLUMN census;
