package web

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestStaffBrowserFrench checks the console's words and numbers read as
// French and true: the wrong-token message with the page's typographic
// apostrophe, passage scores with a decimal comma, no « passages ci-dessous »
// when there are none.
func TestStaffBrowserFrench(t *testing.T) {
	f := newStaffFixture(t, "")
	ctx := newBrowser(t)
	step(t, ctx, "sign in with a wrong token",
		chromedp.Navigate(f.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS(`#token`)),
		chromedp.SendKeys(chromedp.CSS(`#token`), "pas-le-bon"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#signin-error`)),
	)
	if msg := eval[string](t, ctx, `document.getElementById('signin-error').textContent`); !strings.Contains(msg, "n’est pas le bon") {
		t.Errorf("wrong token says %q; want « n’est pas le bon », with the page's apostrophe", msg)
	}
	step(t, ctx, "sign in",
		chromedp.SendKeys(chromedp.CSS(`#token`), staffTestToken+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "contrat SNCF"),
		chromedp.WaitVisible(chromedp.CSS(`#results .score`)),
	)
	score := regexp.MustCompile(`^score \d+,\d\d$`)
	for _, s := range eval[[]string](t, ctx, `[...document.querySelectorAll('#results .score')].map(e => e.textContent)`) {
		if !score.MatchString(s) {
			t.Errorf("a passage's score reads %q; want a decimal comma (« score 0,30 »)", s)
		}
	}
	// A search that finds nothing does not point at passages « ci-dessous ».
	step(t, ctx, "search for nothing",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('q').value = ''`),
		chromedp.SendKeys(chromedp.CSS(`#q`), "zzqqxw"),
		chromedp.Poll[chromedp.Void](`document.getElementById('status').textContent === 'Aucun passage trouvé.'`,
			chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)),
	)
	if a := eval[string](t, ctx, `document.getElementById('answer').textContent`); strings.Contains(a, "ci-dessous") {
		t.Errorf("a search with no passage says %q; want no pointer to passages below", a)
	}
}

// TestStaffBrowserLongQuestion checks that a visitor's question made of one
// long word (a pasted link) wraps in the log views instead of pushing the
// other columns out of the table.
func TestStaffBrowserLongQuestion(t *testing.T) {
	f := newStaffFixture(t, "")
	long := "https://example.org/" + strings.Repeat("a", 150)
	if kind := askVisitor(t, f.URL, long); kind != "no_answer" {
		t.Fatalf("the engine answered %q with %s; want no_answer for the test", long, kind)
	}
	ctx := newBrowser(t)
	signInWithToken(t, ctx, f.URL)
	// On a desktop the whole table fits; on a phone a wide table scrolls
	// sideways in its box, but the question column alone never outgrows it.
	tests := []struct {
		view  string
		width int64
		all   bool // every column fits, or only the question's
	}{
		{"sans-reponse", 1280, true},
		{"plus-posees", 1280, true},
		{"sans-reponse", 390, false},
		{"plus-posees", 390, false},
	}
	for _, tt := range tests {
		step(t, ctx, "open "+tt.view,
			chromedp.EmulateViewport(tt.width, 800),
			chromedp.Navigate(f.URL+"/staff#"+tt.view),
			chromedp.Reload(),
			chromedp.WaitVisible(chromedp.CSS(`#view-log tbody tr`)),
		)
		waitFor(t, ctx, "the long question in "+tt.view, `document.querySelector('#view-log tbody').textContent.includes('https://example.org/')`)
		out := eval[[]string](t, ctx, fmt.Sprintf(`(() => {
			const wrap = document.getElementById('log-body').getBoundingClientRect();
			const ths = [...document.querySelectorAll('#view-log th')];
			return (%t ? ths : ths.slice(0, 1))
				.filter(th => th.getBoundingClientRect().right > wrap.right + 1).map(th => th.textContent);
		})()`, tt.all))
		if len(out) > 0 {
			t.Errorf("#%s at %d px: columns %q are out of the table's box; want the long question to wrap", tt.view, tt.width, out)
		}
	}
}
