package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Browser test timing. Chromium starts in a second or two; an answer over
// loopback takes milliseconds, so these bound hangs, not speed.
const (
	// browserTimeout bounds one browser test, start to end.
	browserTimeout = 90 * time.Second
	// pollTimeout bounds the wait for one expected state of a page.
	pollTimeout = 15 * time.Second
	// pollEvery is how often a page state is checked while waiting.
	pollEvery = 50 * time.Millisecond
)

// A question the seed corpus answers with a citation.
const widgetQuestion = "Quel est le montant du contrat avec la SNCF ?"

// widgetBrowser starts a headless Chromium with a fresh profile, or skips
// the test when none is installed.
func widgetBrowser(tb testing.TB) context.Context {
	tb.Helper()
	return newBrowserSized(tb, 1280, 800)
}

// widgetSites is a Causette server and the sites that embed it, each on its
// own 127.0.0.1 port, so each is its own origin.
type widgetSites struct {
	causette *httptest.Server
	allowed  *httptest.Server // in --allow-origin
	other    *httptest.Server // not in it
	sockets  atomic.Int64     // WebSocket requests Causette received

	mu    sync.Mutex
	conns []net.Conn // hijacked socket connections, for dropSockets
}

// dropSockets cuts every socket Causette has open, as a network drop does.
func (ws *widgetSites) dropSockets() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for _, c := range ws.conns {
		c.Close()
	}
	ws.conns = nil
}

// hijackRecorder records the connection a WebSocket upgrade takes over.
type hijackRecorder struct {
	http.ResponseWriter
	sites *widgetSites
}

func (h hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err == nil {
		h.sites.mu.Lock()
		h.sites.conns = append(h.sites.conns, c)
		h.sites.mu.Unlock()
	}
	return c, rw, err
}

// hostileCSS is host CSS that restyles every div, button and iframe, and the
// host's top-level elements, as careless or hostile sites do.
const hostileCSS = `<style>
div, button, iframe { all: unset !important; display: block !important; position: static !important;
  width: 13px !important; height: 13px !important; margin: 40px !important; padding: 9px !important;
  background: lime !important; color: red !important; border: 5px dotted red !important;
  font: 30px cursive !important; transform: rotate(10deg) !important; z-index: -1 !important;
  opacity: .5 !important; border-radius: 0 !important; box-shadow: none !important; }
* { font-family: cursive !important; letter-spacing: 4px !important; line-height: 3 !important;
  box-sizing: content-box !important; visibility: visible !important; }
body > * { transform: scale(.5) !important; filter: blur(2px) !important; position: relative !important; }
</style>`

func newWidgetSites(tb testing.TB) *widgetSites {
	tb.Helper()
	ws := &widgetSites{}
	var causetteURL string
	host := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tag := func(attrs string) string {
			return fmt.Sprintf(`<script src="%s/widget.js"%s data-title="Questions sur Mistral AI"`+
				` data-color="#ff7000" data-position="right"></script>`, causetteURL, attrs)
		}
		head, body := tag(" defer"), ""
		switch r.URL.Path {
		case "/page1", "/page2", "/plain":
		case "/pale":
			head = strings.Replace(head, `data-color="#ff7000"`, `data-color="#ffe14d"`, 1)
		case "/hostile":
			head += hostileCSS
		case "/strict":
			w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src "+causetteURL+"; frame-src "+causetteURL)
		case "/head-sync":
			head = tag("")
		case "/head-async":
			head = tag(" async")
		case "/body-end":
			head, body = "", tag("")
		case "/body-async":
			head, body = "", tag(" async")
		case "/queued":
			head = `<script>window.Causette = [["open"]];</script>` + tag(" async")
		case "/options":
			head = fmt.Sprintf(`<script src="%s/widget.js" defer data-lang="en" data-z-index="5" data-position="left"`+
				` data-open data-greeting="Hello! Ask me about Mistral AI." data-color="#0b6e4f"`+
				` data-starters="Qui dirige Mistral AI ?|Combien Mistral a-t-il levé ?"></script>`, causetteURL)
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8">`+
			`<meta name="viewport" content="width=device-width, initial-scale=1"><title>Site hôte %s</title>%s</head>`+
			`<body><div class="site"><h1>Site hôte %s</h1><p>Un site qui accueille le widget.</p>`+
			`<p><a id="to1" href="/page1">Page 1</a> <a id="to2" href="/page2">Page 2</a></p>`+
			`<button type="button">Un bouton du site</button></div>%s</body></html>`, r.URL.Path, head, r.URL.Path, body)
	})
	ws.allowed = httptest.NewServer(host)
	tb.Cleanup(ws.allowed.Close)
	ws.other = httptest.NewServer(host)
	tb.Cleanup(ws.other.Close)
	ws.causette = widgetServerWith(tb, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/ws" {
				ws.sockets.Add(1)
				w = hijackRecorder{w, ws}
			}
			h.ServeHTTP(w, r)
		})
	}, ws.allowed.URL)
	causetteURL = ws.causette.URL
	return ws
}

// launcherJS is the host-side expression of the widget's launcher button.
const launcherJS = `document.querySelector('causette-widget').shadowRoot.querySelector('.launcher')`

// inPanel evaluates expr in the widget's panel, the /embed iframe, in an
// isolated world (it shares the DOM, not the page's globals).
func inPanel[T any](expr string) chromedp.Action[T] {
	return func(ctx context.Context, t *chromedp.Target) (T, error) {
		var zero T
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return zero, err
		}
		id := embedFrame(tree.FrameTree)
		if id == "" {
			return zero, errNoPanel
		}
		world, err := cdp.Call(ctx, t, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: id, WorldName: "test"})
		if err != nil {
			return zero, err
		}
		return chromedp.Evaluate[T](expr, func(p *runtime.EvaluateParams) {
			p.ContextID = world.ExecutionContextID
		})(ctx, t)
	}
}

// panelReady reports whether the panel's page is loaded, scripts and styles.
var panelReady = inPanel[bool](`document.readyState === 'complete' && !!document.getElementById('question')`)

var errNoPanel = errors.New("no /embed frame in the page")

func embedFrame(ft *page.FrameTree) cdp.FrameID {
	if ft == nil {
		return ""
	}
	if strings.Contains(ft.Frame.URL, "/embed?") {
		return ft.Frame.ID
	}
	for _, c := range ft.ChildFrames {
		if id := embedFrame(c); id != "" {
			return id
		}
	}
	return ""
}

// widgetWait runs check until it reports true, or fails the test after
// pollTimeout with the last error.
func widgetWait(tb testing.TB, ctx context.Context, what string, check chromedp.Action[bool]) {
	tb.Helper()
	deadline := time.NewTimer(pollTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var last error
	for {
		ok, err := chromedp.Run(ctx, check)
		if err == nil && ok {
			return
		}
		last = err
		select {
		case <-deadline.C:
			tb.Fatalf("waiting for %s: timed out after %v (last error: %v)", what, pollTimeout, last)
		case <-ctx.Done():
			tb.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

func widgetRun[T any](tb testing.TB, ctx context.Context, what string, a chromedp.Action[T]) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	return v
}

// clickLauncher clicks the launcher with the mouse, as a visitor does.
func clickLauncher(tb testing.TB, ctx context.Context) {
	tb.Helper()
	xy := widgetRun(tb, ctx, "launcher position", chromedp.Evaluate[[]float64](
		`(r => [r.x + r.width / 2, r.y + r.height / 2])(`+launcherJS+`.getBoundingClientRect())`))
	widgetRun(tb, ctx, "click the launcher", chromedp.MouseClickXY(xy[0], xy[1]))
}

func TestWidgetConversationSurvivesNavigation(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	widgetRun(t, ctx, "open page 1", chromedp.Navigate(sites.allowed.URL+"/page1"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))

	name := widgetRun(t, ctx, "launcher name", chromedp.Evaluate[string](launcherJS+`.getAttribute('aria-label')`))
	if !strings.Contains(name, "Questions sur Mistral AI") || !strings.Contains(name, "ouvrir le chat") {
		t.Errorf("launcher accessible name %q; want the title and « ouvrir le chat »", name)
	}
	if frames := widgetRun(t, ctx, "frames", chromedp.Evaluate[int](`document.querySelector('causette-widget').shadowRoot.querySelectorAll('iframe').length`)); frames != 0 {
		t.Errorf("closed widget has %d iframes; want none before the first open", frames)
	}
	if n := sites.sockets.Load(); n != 0 {
		t.Errorf("closed widget opened %d sockets; want none before the first open", n)
	}

	clickLauncher(t, ctx)
	widgetWait(t, ctx, "focus in the panel's question box", inPanel[bool](`document.activeElement && document.activeElement.id === 'question' && document.hasFocus()`))
	if got := widgetRun(t, ctx, "aria-expanded", chromedp.Evaluate[string](launcherJS+`.getAttribute('aria-expanded')`)); got != "true" {
		t.Errorf("open launcher aria-expanded = %q; want true", got)
	}
	widgetRun(t, ctx, "type a question", chromedp.KeyEvent(widgetQuestion+"\r"))
	widgetWait(t, ctx, "an answer with a citation, typed in", inPanel[bool](
		`!!document.querySelector('article.msg.bot:not(.no-answer) .cite') && !document.querySelector('.typing')`))
	answer := widgetRun(t, ctx, "answer text", inPanel[string](`document.querySelector('article.msg.bot:not(.no-answer) .text').textContent`))
	if !strings.Contains(answer, "SNCF") {
		t.Errorf("answer to %q is %q; want it to mention SNCF", widgetQuestion, answer)
	}

	// A citation opens its source as a sheet over the panel's chat; the
	// first Escape closes the sheet only.
	widgetRun(t, ctx, "open the source", inPanel[chromedp.Void](`document.querySelector('article.msg.bot .cite').click()`))
	widgetWait(t, ctx, "the source sheet", inPanel[bool](`!document.getElementById('panel').hidden`))
	sheet := widgetRun(t, ctx, "sheet", inPanel[map[string]string](`({
		position: getComputedStyle(document.getElementById('panel')).position,
		inert: String(document.getElementById('main').inert),
		text: document.getElementById('panel-text').textContent,
	})`))
	if sheet["position"] != "fixed" || sheet["inert"] != "true" || !strings.Contains(sheet["text"], "SNCF") {
		t.Errorf("source in the panel: %v; want a fixed sheet over an inert chat, showing the passage", sheet)
	}
	widgetRun(t, ctx, "press Escape on the sheet", chromedp.KeyEvent(kb.Escape))
	widgetWait(t, ctx, "the sheet closed, the focus back on its citation", inPanel[bool](
		`document.getElementById('panel').hidden && document.activeElement.classList.contains('cite')`))
	if hidden := widgetRun(t, ctx, "widget panel", chromedp.Evaluate[bool](
		`document.querySelector('causette-widget').shadowRoot.querySelector('.panel').hidden`)); hidden {
		t.Errorf("Escape on the source sheet closed the whole panel; want the sheet only")
	}

	// Escape closes the panel and gives focus back to the launcher.
	widgetRun(t, ctx, "press Escape", chromedp.KeyEvent(kb.Escape))
	widgetWait(t, ctx, "panel closed, focus on the launcher", chromedp.Evaluate[bool](
		`document.querySelector('causette-widget').shadowRoot.querySelector('.panel').hidden && `+
			`document.querySelector('causette-widget').shadowRoot.activeElement === `+launcherJS))

	// Open again, then leave for another page of the site.
	clickLauncher(t, ctx)
	widgetRun(t, ctx, "go to page 2", chromedp.Navigate(sites.allowed.URL+"/page2"))
	widgetWait(t, ctx, "the conversation on page 2", inPanel[bool](
		`[...document.querySelectorAll('.msg.me')].some(e => e.textContent.includes(`+jsString(widgetQuestion)+`)) && `+
			`!!document.querySelector('article.msg.bot:not(.no-answer) .cite')`))
	if got := widgetRun(t, ctx, "reopened state", chromedp.Evaluate[string](launcherJS+`.getAttribute('aria-expanded')`)); got != "true" {
		t.Errorf("panel after navigation: aria-expanded = %q; want true (it was open)", got)
	}

	// A follow-up uses the context kept across the navigation.
	a := widgetRun(t, ctx, "Causette.ask", chromedp.Evaluate[map[string]any](`Causette.ask("Et sa durée ?")`, chromedp.EvalAwaitPromise))
	if a["kind"] == nil || a["context"] == nil {
		t.Errorf("Causette.ask answer %v; want the shared shape (kind, context...)", a)
	}
}

func TestWidgetReconnects(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	widgetRun(t, ctx, "open page 1", chromedp.Navigate(sites.allowed.URL+"/page1"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	clickLauncher(t, ctx)
	widgetWait(t, ctx, "the panel connected", inPanel[bool](`document.readyState === 'complete' && document.getElementById('status').dataset.state === 'online'`))
	if n := sites.sockets.Load(); n != 1 {
		t.Fatalf("open panel made %d socket requests; want 1", n)
	}
	sites.dropSockets()
	widgetWait(t, ctx, "the offline state", inPanel[bool](`document.getElementById('status').dataset.state === 'offline'`))
	// Asked while offline: sent once the panel has reconnected.
	a := widgetRun(t, ctx, "Causette.ask while offline", chromedp.Evaluate[map[string]any](`Causette.ask(`+jsString(widgetQuestion)+`)`, chromedp.EvalAwaitPromise))
	if a["kind"] != "answer" {
		t.Errorf("question asked during a drop got kind %v; want an answer after the reconnection", a["kind"])
	}
	if n := sites.sockets.Load(); n < 2 {
		t.Errorf("after a drop: %d socket requests; want a reconnection", n)
	}
	if n := widgetRun(t, ctx, "answers", inPanel[int](`document.querySelectorAll('.msg.bot .cite').length`)); n == 0 {
		t.Errorf("no answer with a citation in the panel after the reconnection")
	}
}

func TestWidgetRefusedOnSiteNotAllowed(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	widgetRun(t, ctx, "open the other site", chromedp.Navigate(sites.other.URL+"/page1"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	clickLauncher(t, ctx)
	widgetWait(t, ctx, "the refusal", inPanel[bool](`!!document.querySelector('.denied-main')`))
	text := widgetRun(t, ctx, "refusal text", inPanel[string](`document.querySelector('.denied').textContent`))
	if !strings.Contains(text, "n'est pas autorisé à afficher Causette") || !strings.Contains(text, sites.other.URL) {
		t.Errorf("refusal reads %q; want it to say, in French, that %s is not allowed", text, sites.other.URL)
	}
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Causette.ask(`+jsString(widgetQuestion)+`).then(() => "answered", e => "refused: " + e.message)`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(msg, "pas autorisé") {
		t.Errorf("Causette.ask on a site not allowed: %q, %v; want a refusal", msg, err)
	}
	if n := widgetRun(t, ctx, "answers", inPanel[int](`document.querySelectorAll('.msg.bot').length`)); n != 0 {
		t.Errorf("site not allowed got %d answers; want none", n)
	}
	if n := sites.sockets.Load(); n != 0 {
		t.Errorf("site not allowed opened %d sockets; want none", n)
	}
}

func TestWidgetUnderStrictCSP(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	widgetRun(t, ctx, "record CSP violations", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.__violations = []; document.addEventListener('securitypolicyviolation',
				e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`,
		})
		return err
	}))
	widgetRun(t, ctx, "open the strict page", chromedp.Navigate(sites.allowed.URL+"/strict"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	if w := widgetRun(t, ctx, "launcher width", chromedp.Evaluate[string](`getComputedStyle(`+launcherJS+`).width`)); w != "56px" {
		t.Errorf("launcher width under a strict CSP is %s; want 56px (its style sheet applied)", w)
	}
	a := widgetRun(t, ctx, "Causette.ask", chromedp.Evaluate[map[string]any](`Causette.ask(`+jsString(widgetQuestion)+`)`, chromedp.EvalAwaitPromise))
	cites, _ := a["citations"].([]any)
	if a["kind"] != "answer" || len(cites) == 0 {
		t.Errorf("Causette.ask(%q) under a strict CSP = kind %v, %d citations; want an answer with a citation", widgetQuestion, a["kind"], len(cites))
	}
	widgetWait(t, ctx, "the answer in the panel", inPanel[bool](`!!document.querySelector('.msg.bot .cite')`))
	if v := widgetRun(t, ctx, "violations", chromedp.Evaluate[[]string](`window.__violations`)); len(v) != 0 {
		t.Errorf("strict CSP violations: %q; want none", v)
	}
}

// widgetLayout describes the launcher and, once open, the panel: what the
// host's CSS must not change.
const widgetLayout = `(() => {
  const root = document.querySelector('causette-widget').shadowRoot;
  const box = e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map(Math.round).join(','); };
  const css = (e, props) => props.map(p => p + '=' + getComputedStyle(e).getPropertyValue(p)).join(';');
  const l = root.querySelector('.launcher'), p = root.querySelector('.panel'), f = root.querySelector('iframe');
  return {
    launcher: box(l) + ' ' + css(l, ['background-color', 'border-radius', 'border-top-width', 'opacity', 'transform', 'filter', 'z-index', 'visibility', 'color']),
    panel: box(p) + ' ' + css(p, ['border-radius', 'opacity', 'transform', 'z-index']),
    frame: box(f) + ' ' + css(f, ['border-top-width', 'opacity', 'display']),
    host: css(document.querySelector('causette-widget'), ['transform', 'filter', 'position']),
  };
})()`

func TestWidgetIgnoresHostCSS(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	layout := map[string]map[string]string{}
	for _, path := range []string{"/plain", "/hostile"} {
		widgetRun(t, ctx, "open "+path, chromedp.Navigate(sites.allowed.URL+path))
		widgetWait(t, ctx, "the launcher on "+path, chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
		widgetRun(t, ctx, "open the panel", chromedp.Evaluate[chromedp.Void](`Causette.open()`))
		widgetWait(t, ctx, "the panel on "+path, panelReady)
		layout[path] = widgetRun(t, ctx, "layout on "+path, chromedp.Evaluate[map[string]string](widgetLayout))
		widgetRun(t, ctx, "close the panel", chromedp.Evaluate[chromedp.Void](`Causette.close()`))
	}
	for _, part := range []string{"launcher", "panel", "frame", "host"} {
		if plain, bad := layout["/plain"][part], layout["/hostile"][part]; plain != bad {
			t.Errorf("%s with hostile host CSS: %s\nwithout: %s", part, bad, plain)
		}
	}
	if got := widgetRun(t, ctx, "hostile page still hostile", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('button')).backgroundColor`)); got != "rgb(0, 255, 0)" {
		t.Errorf("the hostile CSS did not apply to the host's own button (%s): the test proves nothing", got)
	}
}

func TestWidgetQueuedCalls(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	widgetRun(t, ctx, "open the page", chromedp.Navigate(sites.allowed.URL+"/queued"))
	widgetWait(t, ctx, "the panel opened by a call queued before the script loaded", panelReady)
}

func TestWidgetScriptPlacement(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	for _, path := range []string{"/head-sync", "/head-async", "/body-end", "/body-async", "/page1"} {
		widgetRun(t, ctx, "open "+path, chromedp.Navigate(sites.allowed.URL+path))
		widgetWait(t, ctx, "the launcher with the script at "+path, chromedp.Evaluate[bool](
			`!!document.querySelector('causette-widget') && !!window.Causette && Causette.version === 1`))
		widgetRun(t, ctx, "open the panel", chromedp.Evaluate[chromedp.Void](`Causette.open()`))
		widgetWait(t, ctx, "the panel with the script at "+path, panelReady)
		widgetRun(t, ctx, "close the panel", chromedp.Evaluate[chromedp.Void](`Causette.close()`))
	}
}

func TestWidgetOptions(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	widgetRun(t, ctx, "open the page", chromedp.Navigate(sites.allowed.URL+"/options"))
	widgetWait(t, ctx, "the panel open at load", panelReady)
	got := widgetRun(t, ctx, "launcher", chromedp.Evaluate[map[string]string](`({
		name: `+launcherJS+`.getAttribute('aria-label'),
		expanded: `+launcherJS+`.getAttribute('aria-expanded'),
		z: getComputedStyle(`+launcherJS+`).zIndex,
		left: String(`+launcherJS+`.getBoundingClientRect().x < 100),
		focus: document.activeElement.tagName,
	})`))
	want := map[string]string{"name": "Close the chat", "expanded": "true", "z": "5", "left": "true", "focus": "BODY"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("data-* options: launcher %s = %q; want %q", k, got[k], v)
		}
	}
	widgetWait(t, ctx, "the starters", inPanel[bool](`document.querySelectorAll('#starters .chip').length === 2`))
	panel := widgetRun(t, ctx, "panel", inPanel[map[string]string](`({
		lang: document.documentElement.lang,
		greeting: document.getElementById('greeting').textContent,
		chips: [...document.querySelectorAll('#starters .chip')].map(c => c.textContent).join('|'),
		send: document.getElementById('send').textContent,
	})`))
	wantPanel := map[string]string{"lang": "en", "greeting": "Hello! Ask me about Mistral AI.",
		"chips": "Qui dirige Mistral AI ?|Combien Mistral a-t-il levé ?", "send": "Send"}
	for k, v := range wantPanel {
		if panel[k] != v {
			t.Errorf("data-* options: panel %s = %q; want %q", k, panel[k], v)
		}
	}
	// The visitor closed it: it stays closed on the next page, data-open or not.
	widgetRun(t, ctx, "close", chromedp.Evaluate[chromedp.Void](`Causette.close()`))
	if got := widgetRun(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.tagName`)); got != "BODY" {
		t.Errorf("Causette.close() from the host's code moved the focus to %s; want it left alone", got)
	}
	widgetRun(t, ctx, "reload", chromedp.Navigate(sites.allowed.URL+"/options"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	if got := widgetRun(t, ctx, "state", chromedp.Evaluate[string](launcherJS+`.getAttribute('aria-expanded')`)); got != "false" {
		t.Errorf("after the visitor closed it, the panel reopened on the next page (aria-expanded %s)", got)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// TestWidgetLauncherFocusVisible checks that the launcher's keyboard focus
// ring stands out from the host page (WCAG 1.4.11, 3:1) whatever the site's
// colour: a ring drawn in a pale site colour vanished on a white page.
func TestWidgetLauncherFocusVisible(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	for _, path := range []string{"/page1", "/pale"} {
		widgetRun(t, ctx, "open "+path, chromedp.Navigate(sites.allowed.URL+path))
		widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
		// Tab through the host page's links and button to the launcher.
		focused := false
		for range 10 {
			widgetRun(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
			if widgetRun(t, ctx, "focus", chromedp.Evaluate[bool](
				`document.querySelector('causette-widget').shadowRoot.activeElement === `+launcherJS)) {
				focused = true
				break
			}
		}
		if !focused {
			t.Fatalf("%s: Tab never reached the launcher", path)
		}
		ratio := widgetRun(t, ctx, "ring contrast", chromedp.Evaluate[float64](`(() => {
			const rgb = c => (c.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
			const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
				return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
			const ring = getComputedStyle(`+launcherJS+`).outlineColor;
			let page = getComputedStyle(document.body).backgroundColor;
			if (/rgba\(0, 0, 0, 0\)|transparent/.test(page)) page = 'rgb(255, 255, 255)';
			const [a, b] = [lum(ring), lum(page)].sort((x, y) => y - x);
			return (a + 0.05) / (b + 0.05);
		})()`))
		if ratio < 3 {
			t.Errorf("%s: the launcher's focus ring has %.2f:1 contrast with the page; want 3:1 at least", path, ratio)
		}
	}
}
