-- +goose Up
-- Published results of open waves (docs/anonymity.md, "Time and snapshots").
-- Each row is one snapshot of every released cell of the wave's query
-- lattice; a cell is republished only when its respondents grew by at least
-- k, otherwise it keeps its earlier value. Stored so that every replica and
-- every later view answers the same. The final row of a closed wave is fixed.
-- cells holds the gzip-compressed JSON of every released cell.
CREATE TABLE report_snapshots (
    wave_id TEXT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    responses INTEGER NOT NULL,
    final BOOLEAN NOT NULL DEFAULT FALSE,
    published_at DATETIME NOT NULL,
    cells BLOB NOT NULL,
    PRIMARY KEY (wave_id, number)
);

-- +goose Down
DROP TABLE report_snapshots;
