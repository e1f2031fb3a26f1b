package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/causette/causette/web/store"
)

// TestStaffRequestsBrowser: the « Demandes » view lists the requests with
// the count of new ones on its tab, shows the message as text, the address
// as a mailto: link and the conversation with its citation; a status
// changes with who did it; a request is deleted, its address with it.
// axe-core runs on the view.
func TestStaffRequestsBrowser(t *testing.T) {
	f := newContactFixture(t)
	turn := askTurn(t, f.URL, "Qui est le PDG de Mistral ?")
	postContact(t, f.URL, fmt.Sprintf(`{"message":"Rappelez-moi <b>vite</b>","email":"ana@exemple.fr","turns":[%q]}`, turn))
	postContact(t, f.URL, `{"message":"Sans adresse"}`)
	ctx := newBrowser(t)
	step(t, ctx, "sign in",
		chromedp.Navigate(f.URL+"/staff#demandes"),
		chromedp.WaitVisible(chromedp.CSS(`#token`)),
		chromedp.SendKeys(chromedp.CSS(`#token`), staffTestToken+kb.Enter),
	)
	// The sign-in brings back to the view asked for, its fragment kept.
	afterNavigation(t, ctx, "back to « Demandes »", `location.hash === '#demandes' && !document.getElementById('view-requests').hidden`)
	waitFor(t, ctx, "the inbox", `document.querySelectorAll('#requests-body .request').length === 2`)
	if got := eval[string](t, ctx, `document.getElementById('requests-count').textContent`); !strings.HasPrefix(got, "2") {
		t.Errorf("tab count %q; want 2 new", got)
	}
	first := `#requests-body .request:last-child` // newest first: the first sent is last
	item := eval[map[string]string](t, ctx, `(() => { const r = document.querySelector('`+first+`');
		return {message: r.querySelector('.request-message').textContent, bold: String(r.querySelectorAll('b').length),
			mailto: r.querySelector('a[href^="mailto:"]').getAttribute('href'),
			passage: r.querySelector('.request-turns a').getAttribute('href'), turn: r.querySelector('.request-turns').textContent}; })()`)
	if item["message"] != "Rappelez-moi <b>vite</b>" || item["bold"] != "0" || item["mailto"] != "mailto:ana@exemple.fr" ||
		!strings.HasPrefix(item["passage"], "/p/") || !strings.Contains(item["turn"], "Qui est le PDG de Mistral ? →") {
		t.Errorf("request shown as %v; want the message as text, a mailto: link, the turn with its citation", item)
	}
	checkAccessibility(t, ctx, "requests")
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-requests.png"))
	}

	step(t, ctx, "take it in hand", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.querySelector('`+first+` select'); s.value = 'in_progress'; s.dispatchEvent(new Event('change')); })()`))
	waitFor(t, ctx, "the status said", `document.getElementById('requests-status').textContent.includes('En cours')`)
	var ana store.Request
	for _, r := range storedRequests(t, f.Log) {
		if r.Email == "ana@exemple.fr" {
			ana = r
		}
	}
	if ana.Status != store.StatusInProgress || ana.UpdatedBy != bootstrapAccount {
		t.Errorf("after the change, stored %+v; want in_progress by %q", ana, bootstrapAccount)
	}
	if got := eval[string](t, ctx, `document.getElementById('requests-count').textContent`); !strings.HasPrefix(got, "1") {
		t.Errorf("tab count %q after one taken in hand; want 1", got)
	}

	step(t, ctx, "delete it",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(first+` .row-actions button`)),
	)
	waitFor(t, ctx, "one request left", `document.querySelectorAll('#requests-body .request').length === 1`)
	if got := storedRequests(t, f.Log); len(got) != 1 || got[0].Email != "" {
		t.Errorf("after deleting, inbox %+v; want the request without address alone", got)
	}
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "requests-title" {
		t.Errorf("after deleting, focus on %q; want the view's title", id)
	}
}
