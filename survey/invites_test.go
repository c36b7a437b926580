package survey

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/kernel"
)

// TestWaveByNumberOutOfRange checks that a wave number no wave can have
// (the API passes what the address holds) is not found on every database,
// never an error PostgreSQL raises encoding it into its integer column.
func TestWaveByNumberOutOfRange(t *testing.T) {
	for _, pg := range backends(t) {
		t.Run(backendName(pg), func(t *testing.T) {
			f := newIntakeFixture(t, pg)
			for _, n := range []int{0, -1, math.MaxInt32 + 1, math.MaxInt64, math.MinInt64} {
				if _, err := f.store.WaveByNumber(context.Background(), f.survey.ID, n); !errors.Is(err, kernel.ErrNotFound) {
					t.Errorf("wave %d: %v, want kernel.ErrNotFound", n, err)
				}
			}
		})
	}
}

func TestCreateInviteBatchRules(t *testing.T) {
	f := newIntakeFixture(t, false)
	ctx := context.Background()
	cases := []struct {
		count   int
		segment map[string]string
		field   string
	}{
		{0, nil, "count"},
		{MaxInviteBatch + 1, nil, "count"},
		{20, map[string]string{"team": "A"}, "segment.team"},
		{20, map[string]string{"department": "Legal"}, "segment.department"},
		{4, map[string]string{"department": "Sales"}, "count"}, // below k = 5
		{9, map[string]string{"gender": "Woman"}, "count"},     // sensitive: below k_s = 10
	}
	for _, c := range cases {
		_, _, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, c.count, c.segment, f.now)
		var ve *kernel.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != c.field {
			t.Errorf("count %d segment %v: %v, want field %s", c.count, c.segment, err, c.field)
		}
	}
	b, codes, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, 12, map[string]string{"department": "Sales"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 12 || b.Count != 12 || len(codes[0]) != 13 { // a short code: internal/shortcode/shortcode.go
		t.Fatalf("batch %+v codes %d", b, len(codes))
	}
	// Only hashes are stored.
	var stored []string
	f.db.Gorm.Table("invites").Pluck("code_hash", &stored)
	for _, h := range stored {
		for _, c := range codes {
			if h == c {
				t.Fatal("a code is stored in clear")
			}
		}
	}
	before, err := f.store.InviteBatches(ctx, f.survey, f.wave)
	if err != nil || len(before) != 1 || before[0].Count != 12 || before[0].Segment["department"] != "Sales" {
		t.Fatalf("%+v %v", before, err)
	}
	f.now = f.wave.ClosesAt.Add(time.Second)
	if _, _, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, 5, nil, f.now); !errors.Is(err, kernel.ErrClosed) {
		t.Errorf("batch for a closed wave: %v", err)
	}
}

// TestInviteBatchesHoldNoUse: the list is what the lead issued, nothing about
// how many codes were used, so submissions leave it unchanged. How many of a
// segment answered is a result, released by the results engine only.
func TestInviteBatchesHoldNoUse(t *testing.T) {
	f := newIntakeFixture(t, false)
	ctx := context.Background()
	_, codes, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, 12, map[string]string{"gender": "Woman"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, 3, nil, f.now); err != nil {
		t.Fatal(err)
	}
	before, err := f.store.InviteBatches(ctx, f.survey, f.wave)
	if err != nil || len(before) != 2 {
		t.Fatalf("%+v %v", before, err)
	}
	for _, c := range codes[:11] {
		if err := f.intake.Submit(ctx, c, Submission{Answers: map[string]AnswerValue{"belonging.1": ScaleAnswer(3)}}); err != nil {
			t.Fatal(err)
		}
	}
	after, err := f.store.InviteBatches(ctx, f.survey, f.wave)
	if err != nil || !reflect.DeepEqual(before, after) {
		t.Errorf("the list changed with submissions:\n%+v\n%+v (%v)", before, after, err)
	}
	for _, b := range after {
		if b.Count == 3 && (b.Segment == nil || len(b.Segment) != 0) {
			t.Errorf("batch without a segment %+v: want an empty segment", b)
		}
	}
}

// TestInviteBatchTimeReadsBackAsCreated: the batch a lead has just created
// carries the same created_at as the list of batches. PostgreSQL keeps
// microseconds, so the answer to the POST used to show nanoseconds that the
// list then no longer had.
func TestInviteBatchTimeReadsBackAsCreated(t *testing.T) {
	for _, pg := range backends(t) {
		t.Run(backendName(pg), func(t *testing.T) {
			f := newIntakeFixture(t, pg)
			ctx := context.Background()
			at := f.now.Add(123456789 * time.Nanosecond)
			b, _, err := f.store.CreateInviteBatch(ctx, f.survey, f.wave, 5, nil, at)
			if err != nil {
				t.Fatal(err)
			}
			list, err := f.store.InviteBatches(ctx, f.survey, f.wave)
			if err != nil || len(list) != 1 {
				t.Fatalf("%d batches, %v", len(list), err)
			}
			if !list[0].CreatedAt.Equal(b.CreatedAt) {
				t.Errorf("created at %s, listed as created at %s", b.CreatedAt.Format(time.RFC3339Nano), list[0].CreatedAt.Format(time.RFC3339Nano))
			}
		})
	}
}
