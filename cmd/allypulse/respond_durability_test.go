package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/internal/kernel"
	"github.com/allypulse/allypulse/internal/testtools"
	"github.com/allypulse/allypulse/survey"
)

// TestRespondSurvivesSIGKILL builds the binary, serves a survey, submits
// responses from several clients, kills the process with SIGKILL as soon as
// the target number of 201s has arrived, and checks on reopening that every
// acknowledged response is stored (and nothing beyond what was sent).
func TestRespondSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "allypulse")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join(testtools.RepoRoot(t), "cmd", "allypulse")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	dbPath := filepath.Join(dir, "kill.db")
	slug, waveID := seedOpenWave(t, dbPath)

	addr := freeAddr(t)
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "ALLYPULSE_DATABASE="+dbPath, "ALLYPULSE_ADDR="+addr, "ALLYPULSE_RESPOND_RATE=off",
			"ALLYPULSE_ADMIN_EMAIL=", "ALLYPULSE_ADMIN_PASSWORD=")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
		waitHealthy(t, "http://"+addr)
		return cmd
	}
	proc := start()

	const target, clients = 300, 8
	body, _ := json.Marshal(map[string]any{"answers": map[string]any{"belonging.1": 4, "belonging.2": 2, "outcome.enps": 9}})
	var acked, sent atomic.Int64
	killed := make(chan struct{})
	var once sync.Once
	kill := func() {
		once.Do(func() {
			_ = proc.Process.Signal(syscall.SIGKILL)
			close(killed)
		})
	}
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-killed:
					return
				default:
				}
				sent.Add(1)
				res, err := client.Post("http://"+addr+"/api/v1/respond/"+slug, "application/json", strings.NewReader(string(body)))
				if err != nil {
					return // the process is gone
				}
				res.Body.Close()
				if res.StatusCode == http.StatusCreated && acked.Add(1) >= target {
					kill()
				} else if res.StatusCode != http.StatusCreated {
					t.Errorf("status %d", res.StatusCode)
					kill()
				}
			}
		}()
	}
	wg.Wait()
	_, _ = proc.Process.Wait()

	d, err := db.Open(ctx, dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := survey.NewStore(d.Gorm).CountResponses(ctx, waveID)
	_ = d.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("acknowledged %d, sent %d, stored %d after SIGKILL", acked.Load(), sent.Load(), n)
	if int64(n) < acked.Load() || int64(n) > sent.Load() {
		t.Fatalf("stored %d responses; acknowledged %d, sent %d", n, acked.Load(), sent.Load())
	}

	// The restarted server serves the same data.
	start()
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("restart not ready: %v %v", res, err)
	}
	res.Body.Close()
}

// seedOpenWave creates a launched survey with a wave open now in a new
// database file, and returns the wave's open-link slug and id.
func seedOpenWave(t *testing.T, path string) (string, string) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	store := survey.NewStore(d.Gorm)
	sv := survey.Survey{
		ID: kernel.NewID(), Title: "Durability", Status: survey.StatusLaunched,
		Design:    survey.Design{Items: []string{"belonging.1", "belonging.2", "outcome.enps"}},
		Anonymity: survey.DefaultAnonymity(), Schedule: survey.Schedule{Cadence: survey.CadenceOnce, OpensAt: now.Add(-time.Hour), WaveDays: 7},
		PracticalGapPoints: 5, CreatedAt: now, UpdatedAt: now,
	}
	if err := store.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	w, err := store.CreateWave(ctx, survey.Wave{ID: kernel.NewID(), SurveyID: sv.ID, Number: 1, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour), Slug: kernel.NewSecret(), Items: sv.Design.Items})
	if err != nil {
		t.Fatal(err)
	}
	return w.Slug, w.ID
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal(fmt.Errorf("server at %s did not become healthy", base))
}
