// Package benchgen writes the results benchmark's database: one closed wave
// of synthetic responses (30 items, a 50-group team dimension) stored as the
// product stores them, and optionally the same answers as a normalised table
// for comparing with a plain GROUP BY in the sqlite3 shell.
package benchgen

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/survey"
	"github.com/allypulse/allypulse/survey/framework"
)

// Teams is the size of the benchmark's large dimension.
const Teams = 50

// Items returns the 30 ordinal items of the benchmark survey: every
// competency item, then access, barrier and outcome items.
func Items() []string {
	var out []string
	fw := framework.BuiltIn()
	for _, it := range fw.Items {
		c, _ := fw.Construct(it.Construct)
		switch c.Kind {
		case framework.KindCompetency, framework.KindAccess, framework.KindBarrier, framework.KindOutcome:
			out = append(out, it.Key)
		}
		if len(out) == 30 {
			break
		}
	}
	return out
}

// Design is the benchmark survey's design.
func Design() survey.Design {
	teams := make([]string, Teams)
	for i := range teams {
		teams[i] = "Team " + strconv.Itoa(i+1)
	}
	return survey.Design{
		Items: Items(),
		Demographics: []survey.Demographic{
			{Key: "team", Label: "Team", Options: append(teams, survey.PreferNotToSay)},
			{Key: "dept", Label: "Department", Options: []string{"Sales", "Engineering", "Operations", "Finance", "People", "Legal", survey.PreferNotToSay}},
			{Key: "gender", Label: "Gender", Options: []string{"Woman", "Man", "Non-binary", survey.PreferNotToSay}, Sensitive: true},
			{Key: "tenure", Label: "Tenure", Options: []string{"< 1 year", "1-3 years", "3-5 years", "5+ years", survey.PreferNotToSay}},
		},
	}
}

// Generate creates a migrated database at dsn holding one survey with one
// wave of n responses and returns the survey id. The wave closed in 2025,
// or, with open, stays open until 2100. With normalised it also writes
// bench_respondents(id, team) and bench_answers(response_id, item, value).
func Generate(ctx context.Context, dsn string, n int, normalised, open bool) (string, error) {
	d, err := db.Open(ctx, dsn, nil)
	if err != nil {
		return "", err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return "", err
	}
	store := survey.NewStore(d.Gorm)
	past := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	sv := survey.Survey{ID: kernel.NewID(), Title: "Benchmark", Status: survey.StatusClosed, Design: Design(),
		Anonymity: survey.DefaultAnonymity(), PracticalGapPoints: survey.DefaultPracticalGapPoints,
		Schedule: survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: past, WaveDays: 14}, CreatedAt: past, UpdatedAt: past}
	if err := store.CreateSurvey(ctx, sv); err != nil {
		return "", err
	}
	closes := past.Add(14 * 24 * time.Hour)
	if open {
		closes = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	w, err := store.CreateWave(ctx, survey.Wave{ID: kernel.NewID(), SurveyID: sv.ID, Number: 1, OpensAt: past,
		ClosesAt: closes, Slug: kernel.NewSecret(), Items: sv.Design.Items})
	if err != nil {
		return "", err
	}
	if err := insert(ctx, d.SQL, d.Dialect, sv.Design, w.ID, n, normalised); err != nil {
		return "", err
	}
	return sv.ID, nil
}

// insert writes the responses in one transaction.
func insert(ctx context.Context, sqlDB *sql.DB, dialect string, design survey.Design, waveID string, n int, normalised bool) error {
	if normalised {
		for _, stmt := range []string{
			"CREATE TABLE IF NOT EXISTS bench_respondents (id TEXT PRIMARY KEY, team INTEGER NOT NULL)",
			"CREATE TABLE IF NOT EXISTS bench_answers (response_id TEXT NOT NULL, item INTEGER NOT NULL, value INTEGER NOT NULL)",
		} {
			if _, err := sqlDB.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	q := db.Rebind(dialect == db.Postgres, "INSERT INTO responses (wave_id, id, demo, answers) VALUES (?, ?, ?, ?)")
	ins, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	var insR, insA *sql.Stmt
	if normalised {
		if insR, err = tx.PrepareContext(ctx, "INSERT INTO bench_respondents (id, team) VALUES (?, ?)"); err != nil {
			return err
		}
		if insA, err = tx.PrepareContext(ctx, "INSERT INTO bench_answers (response_id, item, value) VALUES (?, ?, ?)"); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(2026, 5))
	items := len(design.Items)
	for i := 0; i < n; i++ {
		demo := make([]byte, len(design.Demographics))
		for j, dm := range design.Demographics {
			demo[j] = byte(1 + rng.IntN(len(dm.Options)))
		}
		team := int(demo[0]) - 1
		answers := make([]byte, items)
		for j, key := range design.Items {
			if rng.IntN(20) == 0 {
				continue // skipped
			}
			v := 1 + (team%5+rng.IntN(5)+rng.IntN(3))%5
			if key == "outcome.enps" {
				v = rng.IntN(11)
			}
			answers[j] = survey.EncodeAnswer(v)
		}
		id := kernel.NewID()
		if _, err := ins.ExecContext(ctx, waveID, id, demo, answers); err != nil {
			return fmt.Errorf("insert response: %w", err)
		}
		if !normalised {
			continue
		}
		if _, err := insR.ExecContext(ctx, id, team); err != nil {
			return err
		}
		for j, b := range answers {
			if v, ok := survey.DecodeAnswer(b); ok {
				if _, err := insA.ExecContext(ctx, id, j, v); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}
