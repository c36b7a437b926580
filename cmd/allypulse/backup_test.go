package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/account"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/survey"
)

// serveInProcess runs "allypulse serve" on path until the test ends and
// returns its base URL.
func serveInProcess(t *testing.T, path string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	env := map[string]string{"ALLYPULSE_DATABASE": path, "ALLYPULSE_ADDR": addr, "ALLYPULSE_RESPOND_RATE": "off"}
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitHealthy(t, "http://"+addr)
	return "http://" + addr
}

// adminToken creates an admin and an API token for them in the database.
func adminToken(t *testing.T, path string) string {
	t.Helper()
	ctx := context.Background()
	store := openStore(t, path)
	u, err := store.CreateUser(ctx, account.NewUser{Email: "ada@example.org", Name: "Ada", Role: account.RoleAdmin, Password: "a long passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := store.CreateToken(ctx, u, "backup test", "")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func apiCall(t *testing.T, method, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, url, res.StatusCode, b)
	}
	return b
}

func countResponses(t *testing.T, path, waveID string) int {
	t.Helper()
	d, err := db.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n, err := survey.NewStore(d.Gorm).CountResponses(context.Background(), waveID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackupUnderLoadAndRestore backs up a SQLite database while clients
// keep submitting responses, restores the copy and checks that it holds
// every response acknowledged before the backup began and none sent after
// it ended; then, with the survey closed, a second backup restored into a
// new server gives byte for byte the same results and CSV.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	slug, waveID := seedOpenWave(t, live)
	token := adminToken(t, live)
	base := serveInProcess(t, live)

	body := `{"answers":{"belonging.1":4,"belonging.2":2,"outcome.enps":9}}`
	var acked, sent atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 2000; n++ { // bounded, whatever happens
				select {
				case <-stop:
					return
				default:
				}
				sent.Add(1)
				res, err := http.Post(base+"/api/v1/respond/"+slug, "application/json", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					t.Errorf("submit: %d", res.StatusCode)
					return
				}
				acked.Add(1)
			}
		}()
	}
	for acked.Load() < 100 && !t.Failed() {
		time.Sleep(5 * time.Millisecond)
	}
	before := acked.Load()
	copy1 := filepath.Join(dir, "under-load.backup")
	code, out, stderr := runWith(t, map[string]string{"ALLYPULSE_DATABASE": live}, "", "backup", copy1)
	after := sent.Load()
	close(stop)
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup: exit %d %s", code, stderr)
	}
	t.Logf("%s(acknowledged %d before, sent %d by the end, %d in all)", out, before, after, acked.Load())

	restored1 := filepath.Join(dir, "restored1.db")
	if code, out, stderr := runWith(t, map[string]string{"ALLYPULSE_DATABASE": restored1}, "", "restore", copy1); code != 0 {
		t.Fatalf("restore: exit %d %s %s", code, out, stderr)
	}
	if n := countResponses(t, restored1, waveID); int64(n) < before || int64(n) > after {
		t.Errorf("restored copy holds %d responses; %d were acknowledged before the backup and %d sent by its end", n, before, after)
	}

	// Close the survey, view its final results (stored as the wave's
	// release), back up, restore into a database a server already created,
	// and compare.
	var sv struct{ Surveys []struct{ ID string } }
	if err := json.Unmarshal(apiCall(t, "GET", base+"/api/v1/surveys", token), &sv); err != nil || len(sv.Surveys) != 1 {
		t.Fatalf("surveys: %v %+v", err, sv)
	}
	id := sv.Surveys[0].ID
	apiCall(t, "POST", base+"/api/v1/surveys/"+id+"/close", token)
	paths := []string{"/results?wave=1", "/results.csv?wave=1", "/trend"}
	want := map[string][]byte{}
	for _, p := range paths {
		want[p] = apiCall(t, "GET", base+"/api/v1/surveys/"+id+p, token)
	}
	copy2 := filepath.Join(dir, "closed.backup")
	if code, _, stderr := runWith(t, map[string]string{"ALLYPULSE_DATABASE": live}, "", "backup", copy2); code != 0 {
		t.Fatalf("backup: exit %d %s", code, stderr)
	}
	restored2 := filepath.Join(dir, "restored2.db")
	if code, _, stderr := runWith(t, map[string]string{"ALLYPULSE_DATABASE": restored2}, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	if code, out, stderr := runWith(t, map[string]string{"ALLYPULSE_DATABASE": restored2}, "", "restore", copy2); code != 0 {
		t.Fatalf("restore into a migrated, empty database: exit %d %s %s", code, out, stderr)
	}
	base2 := serveInProcess(t, restored2)
	for _, p := range paths {
		got := apiCall(t, "GET", base2+"/api/v1/surveys/"+id+p, token)
		if string(got) != string(want[p]) {
			t.Errorf("%s differs after restore:\nlive     %s\nrestored %s", p, want[p], got)
		}
	}
}

// TestBackupRefusals: no overwriting, no restoring over data or from a
// file that is not a backup, and PostgreSQL is pointed to its own tools
// without printing the password.
func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	seedOpenWave(t, live)
	adminToken(t, live)
	env := map[string]string{"ALLYPULSE_DATABASE": live}
	exists := filepath.Join(dir, "exists.backup")
	if err := os.WriteFile(exists, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{env, []string{"backup", exists}, "exists already"},
		{env, []string{"restore", exists}, "not an intact Allypulse SQLite backup"},
		{env, []string{"restore", live}, "same file"},
		{map[string]string{"ALLYPULSE_DATABASE": filepath.Join(dir, "other.db")}, []string{"restore", filepath.Join(dir, "missing.backup")}, "no such file"},
		{map[string]string{"ALLYPULSE_DATABASE": "postgres://pulse:s3cret@db.example:5432/pulse"}, []string{"backup", "pulse.dump"},
			"pg_dump --format=custom --file=pulse.dump 'postgres://pulse@db.example:5432/pulse'"},
		{map[string]string{"ALLYPULSE_DATABASE": "postgres://pulse:s3cret@db.example:5432/pulse"}, []string{"restore", "pulse.dump"},
			"pg_restore --no-owner --exit-on-error --dbname='postgres://pulse@db.example:5432/pulse' pulse.dump"},
	}
	for _, c := range cases {
		code, _, stderr := runWith(t, c.env, "", c.args...)
		if code != 1 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "s3cret") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", c.args, code, stderr, c.want)
		}
	}
	if b, _ := os.ReadFile(exists); string(b) != "keep me" {
		t.Errorf("the existing file was changed: %q", b)
	}
	// A database with data is never restored over.
	copy1 := filepath.Join(dir, "good.backup")
	if code, _, stderr := runWith(t, env, "", "backup", copy1); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr := runWith(t, env, "", "restore", copy1)
	if code != 1 || !strings.Contains(stderr, "not empty") {
		t.Errorf("restore over data: exit %d %q", code, stderr)
	}
	if code, _, _ := runWith(t, env, "", "backup"); code != 2 {
		t.Errorf("backup without a file: exit %d", code)
	}
}
