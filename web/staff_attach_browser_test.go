package web

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// TestStaffBrowserAttach attaches a visitor's unanswered question to a
// passage in a real Chromium: « Rattacher à un passage » on its group, a
// passage searched and picked, the group gone from the view; after the
// reload the chat cites the passage for it, its page lists the phrasing and
// deletes it; an orphan is listed under the view and deleted. axe-core finds
// nothing wrong with the dialog, the page and the orphans' list.
func TestStaffBrowserAttach(t *testing.T) {
	f := newStaffFixture(t, "")
	if kind := askVisitor(t, f.URL, attachUnknown); kind != "no_answer" {
		t.Fatalf("%q answered %s; want no_answer before any attachment", attachUnknown, kind)
	}
	ctx := newBrowser(t)
	signInWithToken(t, ctx, f.URL)
	step(t, ctx, "open the unanswered view",
		chromedp.Navigate(f.URL+"/staff#sans-reponse"),
		chromedp.WaitVisible(chromedp.CSS(`#view-log tbody .attach`)),
	)
	if row := eval[string](t, ctx, `document.querySelector('#view-log tbody tr').textContent`); !strings.Contains(row, attachUnknown) {
		t.Fatalf("unanswered view's first row reads %q; want %q", row, attachUnknown)
	}
	step(t, ctx, "attach the group", chromedp.Click(chromedp.CSS(`#view-log tbody tr:first-child .attach`)))
	waitFor(t, ctx, "the dialog", `document.getElementById('attach-dialog').open`)
	if got := eval[string](t, ctx, `Array.from(document.querySelectorAll('#attach-phrasings input:checked'), i => i.value).join('|')`); got != attachUnknown {
		t.Errorf("the dialog's phrasings read %q; want %q checked", got, attachUnknown)
	}
	step(t, ctx, "search the passage",
		chromedp.SendKeys(chromedp.CSS(`#attach-q`), "Mensch refuse une offre d’Apple"+kb.Enter))
	waitFor(t, ctx, "the passage among the choices", `document.querySelector('#attach-choices input[value="`+attachTarget+`"]') !== null`)
	step(t, ctx, "pick it", chromedp.Click(chromedp.CSS(`#attach-choices input[value="`+attachTarget+`"]`)))
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-attach.png"))
	}
	checkAccessibility(t, ctx, "attach dialog")
	step(t, ctx, "attach", chromedp.Click(chromedp.CSS(`#attach-form button[type="submit"]`)))
	waitFor(t, ctx, "the dialog closed", `!document.getElementById('attach-dialog').open`)
	waitFor(t, ctx, "the group gone", `document.getElementById('log-status').textContent.includes('passage rattaché')`)
	list, err := f.Log.Attachments(context.Background())
	if err != nil || len(list) != 1 || list[0].Phrasing != attachUnknown || list[0].Passage != attachTarget {
		t.Fatalf("stored attachments %+v, %v; want %q on %s", list, err, attachUnknown, attachTarget)
	}

	f.reloadAttached(t)
	if got := firstCitation(t, f.URL, attachUnknown); got != attachTarget {
		t.Errorf("after the reload, %q cites %q first; want %s", attachUnknown, got, attachTarget)
	}
	step(t, ctx, "open the passage's page",
		chromedp.Navigate(f.URL+"/p/"+url.PathEscape(attachTarget)),
		chromedp.WaitVisible(chromedp.CSS(`.attached button.detach`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('.attached li q').textContent`); got != attachUnknown {
		t.Errorf("the passage's page lists %q; want %q", got, attachUnknown)
	}
	checkAccessibility(t, ctx, "passage with attached phrasings")
	waitFor(t, ctx, "the page's script", `document.readyState === 'complete'`)
	step(t, ctx, "delete the phrasing", chromedp.Click(chromedp.CSS(`.attached button.detach`)))
	waitFor(t, ctx, "deleted", `document.getElementById('detached').textContent.startsWith('Rattachement supprimé')`)
	if list, _ := f.Log.Attachments(context.Background()); len(list) != 0 {
		t.Errorf("after deleting on the page, %d attachments stored; want none", len(list))
	}

	// Two phrasings whose passage the corpus no longer has: one deleted,
	// the other attached again to the passage found from its excerpt.
	const excerpt = "Le PDG Arthur Mensch incarnait à lui seul cette nouvelle dynamique."
	for _, q := range []string{"Une question d’avant ?", "Qui incarnait la dynamique ?"} {
		if _, err := f.Log.Attach(context.Background(), []store.Attachment{{Phrasing: q, Passage: attachTarget,
			Doc: "mistral-ai", Fingerprint: index.Fingerprint(excerpt), Excerpt: excerpt}}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	f.reloadAttached(t)
	step(t, ctx, "the orphans under the unanswered view",
		chromedp.Navigate(f.URL+"/staff#sans-reponse"),
		chromedp.WaitVisible(chromedp.CSS(`#orphans tbody .detach`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('#orphans tbody tr').textContent`); !strings.Contains(got, "Une question d’avant ?") || !strings.Contains(got, "incarnait") {
		t.Errorf("the orphans' row reads %q; want the phrasing and its passage's excerpt", got)
	}
	checkAccessibility(t, ctx, "orphans")
	step(t, ctx, "delete the first orphan", chromedp.Click(chromedp.CSS(`#orphans tbody tr:first-child .detach`)))
	waitFor(t, ctx, "one orphan left", `document.querySelectorAll('#orphans tbody tr').length === 1`)
	step(t, ctx, "attach the other again", chromedp.Click(chromedp.CSS(`#orphans tbody .reattach`)))
	waitFor(t, ctx, "its passage found from the excerpt", `document.querySelector('#attach-choices input[value="`+attachTarget+`"]') !== null`)
	step(t, ctx, "pick it and attach",
		chromedp.Click(chromedp.CSS(`#attach-choices input[value="`+attachTarget+`"]`)),
		chromedp.Click(chromedp.CSS(`#attach-form button[type="submit"]`)))
	waitFor(t, ctx, "the dialog closed", `!document.getElementById('attach-dialog').open`)
	waitFor(t, ctx, "no orphan left", `document.getElementById('orphans').hidden`)
	list, err = f.Log.Attachments(context.Background())
	if err != nil || len(list) != 1 || list[0].Phrasing != "Qui incarnait la dynamique ?" || list[0].Fingerprint == index.Fingerprint(excerpt) {
		t.Errorf("stored attachments %+v, %v; want the one attached again, to the passage's text as it is", list, err)
	}
}

// TestStaffBrowserSuggestions goes through the suggestions with the keys in
// a real Chromium: r rejects the first (kept as rejected), a accepts the
// next (attached); axe-core finds nothing wrong with the view.
func TestStaffBrowserSuggestions(t *testing.T) {
	f := newStaffFixture(t, "")
	const other = "mistral-ai#p2"
	for _, tr := range []store.Turn{
		{Question: attachUnknown, Kind: "answer", Confidence: 0.3, Passage: attachTarget},
		{Question: attachUnknown, Kind: "answer", Confidence: 0.3, Passage: attachTarget},
		{Question: attachUnknown, Kind: "answer", Confidence: 0.3, Passage: attachTarget},
		{Question: "Combien de fondateurs ?", Kind: "answer", Confidence: 0.3, Passage: other},
		{Question: "Combien de fondateurs ?", Kind: "answer", Confidence: 0.3, Passage: other, Feedback: "down"},
	} {
		f.Log.Record(tr)
	}
	mustFlushLog(t, f)
	ctx := newBrowser(t)
	signInWithToken(t, ctx, f.URL)
	step(t, ctx, "open the suggestions",
		chromedp.Navigate(f.URL+"/staff#suggestions"),
		chromedp.WaitVisible(chromedp.CSS(`#suggestion article`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('#suggestion article').textContent`); !strings.Contains(got, attachUnknown) || !strings.Contains(got, "Suggestion 1 sur 2") {
		t.Errorf("the first suggestion reads %q; want %q, the most asked, first of 2", got, attachUnknown)
	}
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-suggestions.png"))
	}
	checkAccessibility(t, ctx, "suggestions")
	waitFor(t, ctx, "the console's script", `document.readyState === 'complete'`)
	step(t, ctx, "reject it with r", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`), chromedp.KeyEvent("r"))
	waitFor(t, ctx, "rejected", `document.getElementById('suggestions-status').textContent.startsWith('Rejetée')`)
	if got := eval[string](t, ctx, `document.querySelector('#suggestion article').textContent`); !strings.Contains(got, "Combien de fondateurs ?") {
		t.Errorf("after rejecting, the suggestion reads %q; want the next one", got)
	}
	step(t, ctx, "accept the next with a", chromedp.KeyEvent("a"))
	waitFor(t, ctx, "accepted", `document.getElementById('suggestions-status').textContent.startsWith('Acceptée')`)
	list, err := f.Log.Attachments(context.Background())
	if err != nil || len(list) != 1 || list[0].Phrasing != "Combien de fondateurs ?" || list[0].Passage != other {
		t.Errorf("stored attachments %+v, %v; want the accepted wording on %s", list, err, other)
	}
	rejected, err := f.Log.Rejected(context.Background())
	if err != nil || len(rejected) != 1 {
		t.Errorf("rejected suggestions %v, %v; want the one rejected", rejected, err)
	}
	step(t, ctx, "reload the suggestions", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#suggestions-status`)))
	waitFor(t, ctx, "none left", `document.getElementById('suggestions-status').textContent === 'Aucune suggestion pour l’instant.'`)
}
