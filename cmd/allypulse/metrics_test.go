package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serveFor runs the server in this process with env until the test ends.
func serveFor(t *testing.T, env map[string]string) {
	t.Helper()
	env["ALLYPULSE_DATABASE"] = filepath.Join(t.TempDir(), "m.db")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	waitHealthy(t, "http://"+env["ALLYPULSE_ADDR"])
}

func getStatus(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestMetricsOffByDefaultOnTheMainAddress(t *testing.T) {
	addr := freeAddr(t)
	serveFor(t, map[string]string{"ALLYPULSE_ADDR": addr})
	if code, _ := getStatus(t, "http://"+addr+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("/metrics without any metrics variable: %d, want 404", code)
	}
}

func TestMetricsTokenOnTheMainAddress(t *testing.T) {
	addr := freeAddr(t)
	const token = "main-address-token-0123456789"
	serveFor(t, map[string]string{"ALLYPULSE_ADDR": addr, "ALLYPULSE_METRICS_TOKEN": token})
	if code, _ := getStatus(t, "http://"+addr+"/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d, want 401", code)
	}
	if code, _ := getStatus(t, "http://"+addr+"/metrics", token+"x"); code != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token: %d, want 401", code)
	}
	if code, body := getStatus(t, "http://"+addr+"/metrics", token); code != http.StatusOK || !strings.Contains(body, "allypulse_http_requests_total") {
		t.Errorf("/metrics with the token: %d", code)
	}
}

func TestMetricsOnTheirOwnAddress(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	const token = "metrics-address-token-0123456789"
	serveFor(t, map[string]string{"ALLYPULSE_ADDR": addr, "ALLYPULSE_METRICS_ADDR": metricsAddr, "ALLYPULSE_METRICS_TOKEN": token})
	if code, _ := getStatus(t, "http://"+addr+"/metrics", token); code != http.StatusNotFound {
		t.Errorf("main address /metrics: %d, want 404", code)
	}
	if code, _ := getStatus(t, "http://"+metricsAddr+"/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("metrics address without the token: %d, want 401", code)
	}
	if code, body := getStatus(t, "http://"+metricsAddr+"/metrics", token); code != http.StatusOK ||
		!strings.Contains(body, `route="/healthz"`) {
		t.Errorf("metrics address with the token: %d", code)
	}
	if code, _ := getStatus(t, "http://"+metricsAddr+"/healthz", token); code != http.StatusNotFound {
		t.Errorf("metrics address serves the API: %d", code)
	}
}
