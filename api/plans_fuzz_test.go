package api

import "testing"

// FuzzPlanBodies feeds request bodies to the action plan and "What we
// heard" decoders: every input decodes or becomes a 400, 413 or 422 naming
// a field, never a 500 or a panic.
func FuzzPlanBodies(f *testing.F) {
	for _, seed := range []string{
		`{"wave": 1, "source": {"kind": "gap", "metric": "belonging", "dimension": "department", "option": "Sales"}, "title": "x"}`,
		`{"wave": "1", "source": [], "title": null}`,
		`{"title": "x", "owner_id": 7, "due": "2026-02-30", "status": "done", "revision": 1.5}`,
		`{"metrics": ["index", 3], "focus_ids": {}, "message": "\ud800"}`,
		`{"revision": -1, "notes": "` + "\u0000" + `"}`,
		`{"source": {"kind": "gap", "extra": true}}`,
		`[]`, `null`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkDecodeError(t, body, &createFocusRequest{})
		checkDecodeError(t, body, &updateFocusRequest{})
		checkDecodeError(t, body, &actionRequest{})
		checkDecodeError(t, body, &updateActionRequest{})
		checkDecodeError(t, body, &publishRequest{})
	})
}
