package web

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserQuestionLimit checks that a visitor whose text goes past the
// question box's limit (a long paste) is told, in French, that the end was
// cut, and that the notice goes once the text is shorter.
func TestBrowserQuestionLimit(t *testing.T) {
	ctx := newBrowser(t)
	s := newTestServer(t, Config{Limits: generous})
	base := startHTTP(t, s)
	step(t, ctx, "load the page",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	tests := []struct {
		name   string
		runes  int
		notice bool
	}{
		{"short question", 40, false},
		{"just under the limit", 1999, false},
		{"paste of 3000 characters", 3000, true},
		{"shorter again", 10, false},
	}
	for _, tt := range tests {
		text := strings.Repeat("é", tt.runes)
		// insertText is what a paste does: it goes through maxlength.
		step(t, ctx, "type "+tt.name,
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#question').value = ''`),
			chromedp.Focus(chromedp.CSS(`#question`)),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.execCommand('insertText', false, %q)`, text)),
		)
		got := eval[int](t, ctx, `document.querySelector('#question').value.length`)
		want := min(tt.runes, 2000)
		if got != want {
			t.Errorf("%s: the box holds %d characters; want %d", tt.name, got, want)
		}
		shown := eval[bool](t, ctx, `document.querySelector('#limit').getClientRects().length > 0`)
		notice := eval[string](t, ctx, `document.querySelector('#limit').textContent`)
		if shown != tt.notice {
			t.Errorf("%s: limit notice shown = %v (%q); want %v", tt.name, shown, notice, tt.notice)
		}
		if tt.notice && !strings.Contains(notice, "2\u202f000 caractères") {
			t.Errorf("%s: limit notice reads %q; want the limit, « 2 000 caractères », in French", tt.name, notice)
		}
	}
}

// TestBrowserOfflineHeader checks that the offline state's longer text stays
// clear of the bot's name on a phone, on a desktop and in the widget's panel.
func TestBrowserOfflineHeader(t *testing.T) {
	tests := []struct {
		name          string
		path          string
		width, height int64
	}{
		{"phone", "/", 390, 844},
		{"small phone", "/", 320, 640},
		{"desktop", "/", 1280, 800},
		{"widget panel", "/embed?origin=", 380, 600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newBrowser(t)
			sv := startServe(t, newTestServer(t, Config{Limits: generous}))
			path := tt.path
			if strings.HasSuffix(path, "origin=") {
				path += sv.URL
			}
			step(t, ctx, "load the page",
				chromedp.EmulateViewport(tt.width, tt.height),
				chromedp.Navigate(sv.URL+path),
				chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
			)
			sv.Stop(t)
			step(t, ctx, "offline state", chromedp.WaitVisible(chromedp.CSS(`#status[data-state="offline"]`)))
			overlap := eval[bool](t, ctx, `(() => {
				const a = document.querySelector('h1').getBoundingClientRect();
				const b = document.querySelector('#status').getBoundingClientRect();
				return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
			})()`)
			if overlap {
				t.Errorf("%s at %dx%d: the offline status %q overlaps the title",
					tt.path, tt.width, tt.height, eval[string](t, ctx, `document.querySelector('#status').textContent.trim()`))
			}
			wide := eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
			if wide {
				t.Errorf("%s at %dx%d: the offline page is wider than the screen", tt.path, tt.width, tt.height)
			}
		})
	}
}

// TestBrowserFocusSurvivesReconnect checks that a visitor typing when the
// connection drops finds the question box focused, with the text, once the
// page is back online: disabling the box while offline drops its focus.
func TestBrowserFocusSurvivesReconnect(t *testing.T) {
	ctx := newBrowser(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	sv := startServeOn(t, newTestServer(t, Config{Limits: generous}), ln)
	step(t, ctx, "load the page and start typing",
		chromedp.Navigate(sv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
		chromedp.SendKeys(chromedp.CSS(`#question`), "Qui dirige"),
	)
	sv.Stop(t)
	step(t, ctx, "offline state", chromedp.WaitVisible(chromedp.CSS(`#status[data-state="offline"]`)))
	ln2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	startServeOn(t, newTestServer(t, Config{Limits: generous}), ln2)
	step(t, ctx, "reconnect", chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "question" {
		t.Errorf("after reconnecting the focus is on %q; want the question box the visitor was typing in", id)
	}
	if v := eval[string](t, ctx, `document.querySelector('#question').value`); v != "Qui dirige" {
		t.Errorf("after reconnecting the question box holds %q; want the visitor's %q", v, "Qui dirige")
	}
}

// TestBrowserOfflineCountdown checks that the offline state's « nouvel essai
// dans N s » counts down rather than standing still until the next try.
func TestBrowserOfflineCountdown(t *testing.T) {
	ctx := newBrowser(t)
	sv := startServe(t, newTestServer(t, Config{Limits: generous}))
	step(t, ctx, "load the page",
		chromedp.Navigate(sv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	sv.Stop(t)
	// Retries back off: 0.5 s, 1 s, 2 s, 4 s… (±25 %). In the page: wait for
	// a try 3 s or more away, then for the same try to show a second less.
	sctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	got, err := chromedp.Run(sctx, chromedp.Evaluate[string](`new Promise(resolve => {
		const text = () => document.getElementById('status-text').textContent;
		const seconds = () => +((text().match(/(\d+) s/) || [0, 0])[1]);
		let from = 0;
		const timer = setInterval(() => {
			if (!from && seconds() >= 3) from = seconds();
			else if (from && seconds() !== from) { clearInterval(timer); resolve(from + ' → ' + text()); }
		}, 20);
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("watch the offline status: %v", err)
	}
	from, then, _ := strings.Cut(got, " → ")
	want := ""
	if n, err := strconv.Atoi(from); err == nil {
		want = fmt.Sprintf("Hors ligne — nouvel essai dans %d s", n-1)
	}
	if then != want {
		t.Errorf("offline status reads %q after « dans %s s »; want %q, a second less", then, from, want)
	}
}

// TestBrowserThumbsChangeOfMind checks that a visitor clicking the thumbs
// back and forth sends one rating, the last, and sees no « Vous allez un peu
// vite » error: each click used to be a message against the rate limit.
func TestBrowserThumbsChangeOfMind(t *testing.T) {
	ctx := newBrowser(t)
	ratings := make(chan string, 16)
	s := newTestServer(t, Config{OnFeedback: func(_, value string) bool { ratings <- value; return true }})
	base := startHTTP(t, s)
	step(t, ctx, "load the page",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, "Qui est le PDG de Mistral ?")
	tests := []struct {
		clicks string // u: thumbs up, d: thumbs down
		want   string
	}{
		{"ududududud", "down"},
		{"uuuu", "up"},
	}
	for _, tt := range tests {
		step(t, ctx, "click the thumbs "+tt.clicks, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const [up, down] = document.querySelectorAll('#log article.msg.bot:last-of-type .thumb');
			for (const c of %q) (c === 'u' ? up : down).click();
		})()`, tt.clicks)))
		select {
		case got := <-ratings:
			if got != tt.want {
				t.Errorf("clicks %s: the server got %q first; want the last choice, %q", tt.clicks, got, tt.want)
			}
		case <-time.After(browserStepTimeout):
			t.Fatalf("clicks %s: no rating reached the server", tt.clicks)
		}
		// Let a second rating arrive, if the page sent more than one.
		step(t, ctx, "wait past the rating's delay", chromedp.Evaluate[chromedp.Void](
			`new Promise(r => setTimeout(r, 1000))`, chromedp.EvalAwaitPromise))
		select {
		case extra := <-ratings:
			t.Errorf("clicks %s: the server got a second rating %q; want one", tt.clicks, extra)
		default:
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('#log .msg.error').length`); n != 0 {
			t.Errorf("clicks %s: %d error messages in the conversation; want none", tt.clicks, n)
		}
		pressed := eval[string](t, ctx, `[...document.querySelectorAll('#log article.msg.bot:last-of-type .thumb')].map(b => b.getAttribute('aria-pressed')).join(',')`)
		if want := map[string]string{"up": "true,false", "down": "false,true"}[tt.want]; pressed != want {
			t.Errorf("clicks %s: thumbs pressed %s; want %s", tt.clicks, pressed, want)
		}
	}
}

// TestBrowserThumbsBeforeLeaving checks that a rating given just before the
// visitor leaves the page still reaches the server.
func TestBrowserThumbsBeforeLeaving(t *testing.T) {
	ctx := newBrowser(t)
	ratings := make(chan string, 16)
	base := startHTTP(t, newTestServer(t, Config{OnFeedback: func(_, value string) bool { ratings <- value; return true }}))
	step(t, ctx, "load the page",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, "Qui est le PDG de Mistral ?")
	step(t, ctx, "thumbs down, then leave at once",
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('#log article.msg.bot:last-of-type .thumb')[1].click()`),
		chromedp.Navigate(base+"/"),
	)
	select {
	case got := <-ratings:
		if got != "down" {
			t.Errorf("the server got %q; want %q", got, "down")
		}
	case <-time.After(browserStepTimeout):
		t.Fatalf("a rating given just before leaving the page never reached the server")
	}
}
