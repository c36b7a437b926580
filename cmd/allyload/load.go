package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/allypulse/allypulse/api"
	"github.com/allypulse/allypulse/internal/db"
	"github.com/allypulse/allypulse/survey"
)

// result is what one load run measured.
type result struct {
	Name     string
	Clients  int
	Measured int           // responses with status 201 in the measured window
	Elapsed  time.Duration // the measured window
	Acked    int           // every 201, warm-up included
	Failed   map[string]int
	P50, P99 time.Duration
}

func (r result) PerSecond() float64 { return float64(r.Measured) / r.Elapsed.Seconds() }

// measure runs the load against allypulse, checks the stored count and runs
// the echo baseline.
func measure(ctx context.Context, o options, log *slog.Logger, out io.Writer) error {
	base, slug, name := strings.TrimRight(o.URL, "/"), o.Code, "allypulse "+o.URL
	var d *db.DB
	if o.DSN != "" {
		var err error
		d, err = db.Open(ctx, o.DSN, log)
		if err != nil {
			return err
		}
		defer d.Close()
		name = "allypulse " + d.Dialect
	}
	var waveID string
	var codes []string
	if o.URL == "" {
		if _, err := d.Migrate(ctx); err != nil {
			return err
		}
		sv, w, err := temporarySurvey(ctx, survey.NewStore(d.Gorm))
		if err != nil {
			return err
		}
		if o.Ballots {
			if codes, err = makeCodes(ctx, survey.NewStore(d.Gorm), sv, w, o.Codes); err != nil {
				return err
			}
		}
		if !o.Keep {
			defer func() {
				_ = d.Gorm.WithContext(context.Background()).Exec("DELETE FROM surveys WHERE id = ?", sv.ID).Error
			}()
		}
		srv := api.New(api.Config{RespondRate: -1}, api.Deps{DB: d, Log: log})
		stopServer, addr, err := serve(srv)
		if err != nil {
			return err
		}
		defer func() {
			stopServer()
			srv.Shutdown(context.Background())
		}()
		base, slug, waveID = "http://"+addr, w.Slug, w.ID
	} else if d != nil {
		w, err := survey.NewStore(d.Gorm).WaveBySlug(ctx, slug)
		if err != nil {
			return fmt.Errorf("finding the wave of --code in --db: %w", err)
		}
		waveID = w.ID
	}
	before := 0
	if waveID != "" {
		n, err := survey.NewStore(d.Gorm).CountResponses(ctx, waveID)
		if err != nil {
			return err
		}
		before = n
	}

	client := newClient(o.Clients)
	bodies, err := bodiesFor(ctx, client, base+"/api/v1/respond/"+slug, 2048)
	if err != nil {
		return err
	}
	var results []result
	if o.Ballots {
		key, bc, err := ballotClient(ctx, client, base, codes[0])
		if err != nil {
			return err
		}
		results = append(results, runBallots(ctx, client, base, codes, key, bc, bodies, o))
	}
	results = append(results, runLoad(ctx, client, name, base+"/api/v1/respond/"+slug, bodies, o))
	if o.Echo && !o.Ballots {
		e := echo.New()
		e.HideBanner, e.HidePort = true, true
		e.POST("/echo", func(c echo.Context) error {
			_, _ = io.Copy(io.Discard, c.Request().Body)
			return c.JSON(http.StatusCreated, map[string]string{"status": "recorded"})
		})
		stop, addr, err := serve(e)
		if err != nil {
			return err
		}
		results = append(results, runLoad(ctx, client, "echo baseline", "http://"+addr+"/echo", bodies, o))
		stop()
	}
	report(out, results)
	if waveID == "" {
		fmt.Fprintln(out, "stored == acknowledged: not checked (give --db)")
		return nil
	}
	n, err := survey.NewStore(d.Gorm).CountResponses(ctx, waveID)
	if err != nil {
		return err
	}
	stored, acked := n-before, results[0].Acked
	if o.Ballots {
		acked += results[1].Acked
	}
	fmt.Fprintf(out, "stored == acknowledged: %d == %d", stored, acked)
	if stored != acked {
		fmt.Fprintln(out, "  MISMATCH")
		return errors.New("stored responses differ from acknowledged ones")
	}
	fmt.Fprintln(out, "  ok")
	return nil
}

// serve runs h on a loopback listener until the returned stop is called.
func serve(h http.Handler) (stop func(), addr string, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	}, ln.Addr().String(), nil
}

func newClient(clients int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: 2 * clients,
			IdleConnTimeout: time.Minute, DisableCompression: true,
		},
	}
}

// runLoad posts bodies to url from o.Clients goroutines for o.Warmup plus
// o.Duration, measuring only the second part.
func runLoad(ctx context.Context, client *http.Client, name, url string, bodies [][]byte, o options) result {
	return runOps(ctx, name, o, 0, func(i int) string {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(bodies[i%len(bodies)]))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return "transport"
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return resp.Status
		}
		return ""
	})
}

// runOps runs op (which returns "" on success, else what failed) from
// o.Clients goroutines for o.Warmup plus o.Duration, measuring only the
// second part. Client c runs op(c), op(c+clients), ...; with limit > 0 no
// op gets an i of limit or more.
func runOps(ctx context.Context, name string, o options, limit int, op func(i int) string) result {
	start := time.Now()
	from := start.Add(o.Warmup)
	until := from.Add(o.Duration)
	var mu sync.Mutex
	res := result{Name: name, Clients: o.Clients, Failed: map[string]int{}}
	var all []time.Duration
	var wg sync.WaitGroup
	for c := 0; c < o.Clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			acked, failed := 0, map[string]int{}
			for i := c; ctx.Err() == nil && (limit == 0 || i < limit); i += o.Clients {
				t0 := time.Now()
				if t0.After(until) {
					break
				}
				if status := op(i); status != "" {
					failed[status]++
					continue
				}
				acked++
				if t0.After(from) {
					lat = append(lat, time.Since(t0))
				}
			}
			mu.Lock()
			res.Acked += acked
			for k, v := range failed {
				res.Failed[k] += v
			}
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(from)
	res.Measured = len(all)
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		res.P50 = all[len(all)*50/100]
		res.P99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return res
}

func report(out io.Writer, results []result) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tclients\tresponses\tseconds\tresponses/s\tp50 ms\tp99 ms\tfailed")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.0f\t%.2f\t%.2f\t%v\n", r.Name, r.Clients, r.Measured, r.Elapsed.Seconds(), r.PerSecond(),
			ms(r.P50), ms(r.P99), r.Failed)
	}
	_ = tw.Flush()
	if len(results) == 2 && results[1].PerSecond() > 0 {
		what := "of the echo baseline"
		if results[1].Name != "echo baseline" {
			what = "of the open link's rate in the same run"
		}
		fmt.Fprintf(out, "%s reaches %.0f%% %s\n", results[0].Name, 100*results[0].PerSecond()/results[1].PerSecond(), what)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// bodiesFor loads the form behind url and makes n realistic submissions.
func bodiesFor(ctx context.Context, client *http.Client, url string, n int) ([][]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET the form: %s", resp.Status)
	}
	var form survey.RespondentForm
	if err := json.NewDecoder(resp.Body).Decode(&form); err != nil {
		return nil, err
	}
	return realisticBodies(form, n)
}
