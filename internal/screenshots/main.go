// Command screenshots signs in to a running Allypulse (started with
// `allypulse serve --demo`) in headless Chromium and saves PNGs of the main
// pages for the README:
//
//	go run ./internal/screenshots -url http://127.0.0.1:8080 -out docs/screenshots
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "base URL of a running demo server")
	out := flag.String("out", "docs/screenshots", "folder for the PNG files")
	email := flag.String("email", "lead@northwind.example", "demo account")
	password := flag.String("password", "allypulse-demo", "demo password")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium binary")
	flag.Parse()
	if err := run(*base, *out, *email, *password, *chromium); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(base, out, email, password, chromium string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	surveyID, slug, err := demoSurvey(base, email, password)
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "shots-profile")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.UserDataDir(profile), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	// Start the browser on the long-lived context: a first action under a
	// timeout would tie the browser's life to that timeout.
	if err := chromedp.Do(ctx); err != nil {
		return fmt.Errorf("start chromium: %w", err)
	}

	step := func(actions ...chromedp.Action[chromedp.Void]) error {
		c, done := context.WithTimeout(ctx, 60*time.Second)
		defer done()
		return chromedp.Do(c, actions...)
	}
	shot := func(name string, full bool) error {
		c, done := context.WithTimeout(ctx, 60*time.Second)
		defer done()
		time.Sleep(400 * time.Millisecond) // let transitions and fonts settle
		capture := chromedp.CaptureScreenshot()
		if full {
			capture = chromedp.FullScreenshot(100)
		}
		png, err := chromedp.Run(c, capture)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, name+".png"), png, 0o644)
	}

	// The employee page on a phone-sized screen.
	if err := step(chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/s/"+slug),
		chromedp.WaitVisible(chromedp.CSS(`form`))); err != nil {
		return fmt.Errorf("employee page: %w", err)
	}
	if err := shot("employee-page", false); err != nil {
		return err
	}
	// The phone journey at 360x740, in English and in French, each in a
	// fresh tab with its own stored progress.
	for _, lang := range []string{"en", "fr"} {
		if err := journey(ctx, base, slug, lang, out); err != nil {
			return fmt.Errorf("journey in %s: %w", lang, err)
		}
	}

	if err := step(chromedp.EmulateViewport(1280, 860), chromedp.Navigate(base+"/app/surveys"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`))); err != nil {
		return err
	}
	if err := shot("sign-in", false); err != nil {
		return err
	}
	if err := step(chromedp.SendKeys(chromedp.CSS(`#email`), email), chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`))); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	pages := []struct{ name, path, ready string }{
		{"surveys", "/app/surveys", "main table"},
		{"builder", "/app/surveys/new", "main form"},
		{"results-overview", "/app/results/" + surveyID + "/overview", `#results-body[data-ready=true]`},
		{"results-heatmap", "/app/results/" + surveyID + "/heatmap?by=department", `#results-body[data-ready=true]`},
		{"results-gaps", "/app/results/" + surveyID + "/gaps?by=gender", `#results-body[data-ready=true]`},
		{"results-behaviours", "/app/results/" + surveyID + "/behaviours", `#results-body[data-ready=true]`},
		{"results-trend", "/app/results/" + surveyID + "/trend", `#results-body[data-ready=true]`},
		{"reports", "/app/reports", "main"},
		{"survey-invitations", "/app/surveys/" + surveyID, "#inv-people"},
		{"summary", "/app/summary/" + surveyID, `#results-body[data-ready=true]`},
		{"results-plans", "/app/results/" + surveyID + "/plans", `#results-body[data-ready=true]`},
	}
	for _, p := range pages {
		if err := step(chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready))); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		if err := shot(p.name, true); err != nil {
			return err
		}
	}
	// The summary and the overview on a phone: the menu folded away, the
	// headline numbers first; then the public "What we heard" page.
	heard, err := publishHeard(base, email, password, surveyID)
	if err != nil {
		return err
	}
	phone := []struct{ name, path string }{
		{"summary-phone", "/app/summary/" + surveyID},
		{"results-overview-phone", "/app/results/" + surveyID + "/overview"},
		{"what-we-heard", strings.TrimPrefix(heard, base)},
	}
	for _, p := range phone {
		ready := `#results-body[data-ready=true]`
		if p.name == "what-we-heard" {
			ready = `main h1`
		}
		if err := step(chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+p.path),
			chromedp.WaitVisible(chromedp.CSS(ready))); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		if err := shot(p.name, false); err != nil {
			return err
		}
	}
	return nil
}

// journey answers the demo pulse on a 360x740 screen in lang and saves the
// first section, the next one, About you, the comments and the thank-you
// page as employee-LANG-N-NAME.png. It submits one response to the open
// wave, as an employee would.
func journey(parent context.Context, base, slug, lang, out string) error {
	ctx, cancel := chromedp.NewContext(parent)
	defer cancel()
	// Open the tab on the long-lived context, not under a step's timeout.
	if err := chromedp.Do(ctx); err != nil {
		return err
	}
	do := func(actions ...chromedp.Action[chromedp.Void]) error {
		c, done := context.WithTimeout(ctx, 60*time.Second)
		defer done()
		return chromedp.Do(c, actions...)
	}
	shot := func(n int, name string) error {
		c, done := context.WithTimeout(ctx, 60*time.Second)
		defer done()
		time.Sleep(400 * time.Millisecond) // let transitions and fonts settle
		png, err := chromedp.Run(c, chromedp.CaptureScreenshot())
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, fmt.Sprintf("employee-%s-%d-%s.png", lang, n, name)), png, 0o644)
	}
	// answer picks "Agree" (or the last choice of a shorter scale, "No" on
	// the screen question) in every question of the section shown.
	answer := chromedp.Evaluate[bool](`(() => { for (const fs of document.querySelectorAll('.screen fieldset')) {
	  const r = fs.querySelectorAll('input[type=radio]'); if (r.length) r[Math.min(3, r.length - 1)].click(); } return true; })()`)
	next := func() error {
		c, done := context.WithTimeout(ctx, 60*time.Second)
		defer done()
		if _, err := chromedp.Run(c, answer); err != nil {
			return err
		}
		return chromedp.Do(c, chromedp.Click(chromedp.CSS(`#next`)), chromedp.WaitVisible(chromedp.CSS(`#back`)))
	}
	kind := func() (string, error) {
		c, done := context.WithTimeout(ctx, 60*time.Second)
		defer done()
		return chromedp.Run(c, chromedp.Evaluate[string](`document.querySelector('.screen').dataset.kind + (document.getElementById('send') ? ' last' : '')`))
	}
	if err := do(chromedp.EmulateViewport(360, 740), chromedp.Navigate(base+"/s/"+slug),
		chromedp.WaitVisible(chromedp.CSS(`#screen-title`))); err != nil {
		return fmt.Errorf("open: %w", err)
	}
	// The respondent picks the language on the page.
	c, done := context.WithTimeout(ctx, 60*time.Second)
	_, err := chromedp.Run(c, chromedp.Evaluate[bool](`(() => { const s = document.getElementById('lang');
	  s.value = '`+lang+`'; s.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`))
	if err == nil {
		err = chromedp.Do(c, chromedp.WaitVisible(chromedp.CSS(`html[lang=`+lang+`] #screen-title`)))
	}
	done()
	if err != nil {
		return fmt.Errorf("choose %s: %w", lang, err)
	}
	if err := shot(1, "start"); err != nil {
		return err
	}
	if err := next(); err != nil {
		return fmt.Errorf("first next: %w", err)
	}
	if err := shot(2, "section"); err != nil {
		return err
	}
	for {
		k, err := kind()
		if err != nil {
			return err
		}
		if strings.HasSuffix(k, " last") {
			if err := shot(4, "comments"); err != nil {
				return err
			}
			break
		}
		if k == "d" { // About you
			if err := shot(3, "about-you"); err != nil {
				return err
			}
		}
		if err := next(); err != nil {
			return err
		}
	}
	if err := do(chromedp.Click(chromedp.CSS(`#send`)), chromedp.WaitNotPresent(chromedp.CSS(`#send`)),
		chromedp.WaitVisible(chromedp.CSS(`main h1`))); err != nil {
		return err
	}
	return shot(5, "thank-you")
}

// demoSurvey signs in over the API and returns the demo survey id and the
// open link code of its current wave.
func demoSurvey(base, email, password string) (string, string, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	res, err := client.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		return "", "", err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("sign in: status %d", res.StatusCode)
	}
	var list struct {
		Surveys []struct {
			ID string `json:"id"`
		} `json:"surveys"`
	}
	if err := getJSON(client, base+"/api/v1/surveys", &list); err != nil {
		return "", "", err
	}
	if len(list.Surveys) == 0 {
		return "", "", fmt.Errorf("no survey: start the server with --demo")
	}
	id := list.Surveys[0].ID
	var link struct {
		URL string `json:"url"`
	}
	if err := getJSON(client, base+"/api/v1/surveys/"+id+"/link", &link); err != nil {
		return "", "", err
	}
	return id, link.URL[strings.LastIndex(link.URL, "/")+1:], nil
}

// publishHeard publishes the "What we heard" page of the survey's last
// closed wave, as a lead would, and returns its public address.
func publishHeard(base, email, password, surveyID string) (string, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	res, err := client.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	if err != nil {
		return "", err
	}
	res.Body.Close()
	var waves struct {
		Waves []struct {
			Number int    `json:"number"`
			Status string `json:"status"`
		} `json:"waves"`
	}
	if err := getJSON(client, base+"/api/v1/surveys/"+surveyID+"/waves", &waves); err != nil {
		return "", err
	}
	closed := 0
	for _, w := range waves.Waves {
		if w.Status == "closed" {
			closed = w.Number
		}
	}
	if closed == 0 {
		return "", fmt.Errorf("the demo survey has no closed wave")
	}
	body := `{"message":"Thank you to the 400 of you who answered. Belonging is strong; speaking up in meetings is where we will work first, with the actions below.","metrics":["index","enps","respondents","belonging","voice","fairness"]}`
	req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/v1/surveys/%s/waves/%d/heard", base, surveyID, closed), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	u, _ := url.Parse(base)
	for _, c := range jar.Cookies(u) {
		if c.Name == "allypulse_csrf" {
			req.Header.Set("X-CSRF-Token", c.Value)
		}
	}
	res, err = client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct {
		URL string `json:"url"`
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("publishing What we heard: status %d", res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return "", err
	}
	return out.URL, nil
}

func getJSON(c *http.Client, url string, dst any) error {
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return json.NewDecoder(res.Body).Decode(dst)
}
