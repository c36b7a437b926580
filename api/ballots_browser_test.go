package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// answerAll walks the employee page to the end: the first option of every
// question on every screen, then Send.
func answerAll(t *testing.T, ctx context.Context) {
	t.Helper()
	for range 12 {
		clickFirst(t, ctx, false)
		if browserEval[bool](t, ctx, `!!document.querySelector('#send')`) {
			// The screen's own h1 is visible already: wait for the send
			// button to go, which happens once the server has answered.
			browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#send`)), chromedp.WaitNotPresent(chromedp.CSS(`#send`)))
			return
		}
		browserDo(t, ctx, chromedp.Click(chromedp.CSS(`#next`)), chromedp.Sleep(50*time.Millisecond))
	}
	t.Fatal("no send button after 12 screens")
}

// TestBallotInChromium: a personal link takes a ballot in the page (blinded
// in JavaScript, signed by the server) when the employee starts answering,
// not when the page opens; the ballot survives a reload without a second
// one, and the answers go to /ballots without the code. The same link in
// another browser, once its ballot is taken, says where the ballot is.
func TestBallotInChromium(t *testing.T) {
	e, base, ctx, consoleErrors := pageEnv(t)
	codes := e.invites(5, map[string]string{"department": "Sales"})
	const heldJS = `Object.keys(localStorage).filter(k => k.startsWith('allypulse.ballot.')).map(k => JSON.parse(localStorage[k]).signature || '').join()`
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+strings.ToLower(codes[0])), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	if held := browserEval[string](t, ctx, heldJS); held != "" {
		t.Fatal("opening the page took the ballot; a mail scanner would use it up")
	}
	clickFirst(t, ctx, false)
	browserDo(t, ctx, chromedp.Poll[chromedp.Void](heldJS+` !== ''`))
	held := browserEval[string](t, ctx, heldJS)
	// Reload between ballot and submit: the same ballot, no new request.
	browserDo(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	if again := browserEval[string](t, ctx, heldJS); again != held {
		t.Fatal("the reload took another ballot")
	}
	answerAll(t, ctx)
	if got := textOf(t, ctx, `main`); !strings.Contains(strings.ToLower(got), "thank") {
		t.Fatalf("after send: %q", got)
	}
	if n, _ := e.store.CountResponses(context.Background(), e.wave.ID); n != 1 {
		t.Fatalf("%d responses stored", n)
	}
	if left := browserEval[int](t, ctx, `Object.keys(localStorage).filter(k => k.startsWith('allypulse.ballot.')).length`); left != 0 {
		t.Errorf("the spent ballot stays in the page")
	}
	// Another link started here, then opened in another browser (this one
	// with its storage cleared): starting again says where the ballot is.
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+codes[2]), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	clickFirst(t, ctx, false)
	browserDo(t, ctx, chromedp.Poll[chromedp.Void](heldJS+` !== ''`))
	browserEval[bool](t, ctx, `(localStorage.clear(), true)`)
	browserDo(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#screen-title`)))
	clickFirst(t, ctx, false)
	browserDo(t, ctx, chromedp.Poll[chromedp.Void](`!document.querySelector('#screen-title') && document.querySelector('h1')?.textContent.includes('another browser')`))
	if got := textOf(t, ctx, `main`); !strings.Contains(got, "DEI lead") {
		t.Errorf("the ballot page does not say what to do: %q", got)
	}
	// A typed short code with a typo: a clear error.
	typo := []byte(codes[1])
	typo[3] = map[bool]byte{true: 'A', false: 'B'}[typo[3] != 'A']
	browserDo(t, ctx, chromedp.Navigate(base+"/s/"+string(typo)), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if got := textOf(t, ctx, `main`); strings.Contains(got, "Loading") {
		t.Errorf("typo page: %q", got)
	}
	for _, msg := range consoleErrors() {
		if !strings.Contains(msg, "409") && !strings.Contains(msg, "422") {
			t.Errorf("console: %s", msg)
		}
	}
}
