package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// unansweredCandidates are questions out of the seed's scope; the test uses
// the first the engine answers no_answer (the engine is tuned elsewhere).
var unansweredCandidates = []string{
	"Quelle est la recette de la tarte Tatin ?",
	"Qui est le président du Brésil ?",
	"Comment réparer une fuite d'eau ?",
}

// askVisitor asks q as a visitor does, through POST /api/ask.
func askVisitor(t *testing.T, base, q string) string {
	t.Helper()
	resp, body := do(t, mustRequest(t, "POST", base+"/api/ask", fmt.Sprintf(`{"q":%q}`, q)))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/ask %q: %d %s", q, resp.StatusCode, body)
	}
	var kind struct{ Kind string }
	if err := jsonDecode(body, &kind); err != nil {
		t.Fatalf("POST /api/ask %q: %v", q, err)
	}
	return kind.Kind
}

func mustRequest(t *testing.T, method, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// grantClipboard lets the page at origin read and write the clipboard, so
// the test can read back what the console copied.
func grantClipboard(origin string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			_, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: name == "clipboard-write"},
				Setting:    browser.PermissionSettingGranted,
				Origin:     origin,
			})
			if err != nil {
				return fmt.Errorf("grant %s: %w", name, err)
			}
		}
		return nil
	})
}

// waitFor polls a JavaScript condition.
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	step(t, ctx, what, chromedp.Poll[chromedp.Void](cond,
		chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)))
}

// clipboard reads the clipboard back in the page.
func clipboard(t *testing.T, ctx context.Context) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("read the clipboard: %v", err)
	}
	return s
}

// TestStaffBrowser signs in to the console in a real Chromium, searches,
// copies an answer with its source, opens a permalink and finds a visitor's
// unanswered question; with CAUSETTE_SCREENSHOTS=1 it saves docs/staff*.png.
func TestStaffBrowser(t *testing.T) {
	f := newStaffFixture(t, "")
	unanswered := ""
	for _, q := range unansweredCandidates {
		if askVisitor(t, f.URL, q) == "no_answer" {
			unanswered = q
			break
		}
	}
	if unanswered == "" {
		t.Fatalf("the engine answered every out-of-scope question %q; want one no_answer", unansweredCandidates)
	}
	askVisitor(t, f.URL, strings.ToLower(strings.TrimSuffix(unanswered, " ?"))) // worded alike
	ctx := newBrowser(t)
	step(t, ctx, "grant the clipboard", grantClipboard(f.URL))

	// Sign in: the console redirects to the French sign-in page, then back.
	step(t, ctx, "open the console",
		chromedp.Navigate(f.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS(`#token`)),
	)
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/staff/signin" {
		t.Fatalf("the console without a session shows %s; want /staff/signin", loc)
	}
	checkAccessibility(t, ctx, "sign-in")
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-signin.png"))
	}
	step(t, ctx, "sign in",
		chromedp.SendKeys(chromedp.CSS(`#token`), staffTestToken+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
	)

	// Search as you type: the answer on top, the passages below. The
	// page's script is deferred: its keys work once the page has loaded.
	waitFor(t, ctx, "the console's script", `document.readyState === 'complete'`)
	step(t, ctx, "focus the search with /",
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`),
		chromedp.KeyEvent("/"),
	)
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "q" {
		t.Errorf("/ focused %q; want the search field", id)
	}
	// DevTools sends the "/" as a separate char event that the page's
	// preventDefault on keydown cannot stop (a real keyboard's can): clear it.
	step(t, ctx, "type a question",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('q').value = ''`),
		chromedp.SendKeys(chromedp.CSS(`#q`), "qui est le PDG de mistr"))
	waitFor(t, ctx, "results", `document.querySelectorAll('#results .item').length > 0 && document.querySelector('#answer .item') !== null`)
	if n := eval[int](t, ctx, `document.querySelectorAll('#results mark').length`); n == 0 {
		t.Errorf("search results highlight no word")
	}
	if s := eval[string](t, ctx, `document.querySelector('#answer .confidence').textContent`); !strings.Contains(s, "%") {
		t.Errorf("answer's confidence reads %q; want a percentage", s)
	}
	if s := eval[string](t, ctx, `document.getElementById('status').textContent`); !strings.Contains(s, "passage") {
		t.Errorf("search status reads %q; want a count of passages", s)
	}

	// Copy the answer with the keyboard: arrow down to it, then c.
	answer := eval[string](t, ctx, `document.querySelector('#answer .answer-text').textContent`)
	step(t, ctx, "select the answer and copy it", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent("c"))
	waitFor(t, ctx, "copied", `document.getElementById('copied').textContent.startsWith('Copié')`)
	if got := clipboard(t, ctx); !strings.HasPrefix(got, answer+" (source : ") || !strings.Contains(got, ", §") || !strings.HasSuffix(got, ")") {
		t.Errorf("clipboard after c = %q; want %q followed by (source : ..., §N)", got, answer)
	}
	// And a passage with its button.
	text := eval[string](t, ctx, `document.querySelector('#results .item .text').textContent`)
	step(t, ctx, "copy the first passage", chromedp.Click(chromedp.CSS(`#results .item .copy`)))
	waitFor(t, ctx, "passage copied", fmt.Sprintf(`navigator.clipboard.readText().then(s => s.startsWith(%q))`, text))

	if os.Getenv(screenshotsEnv) == "1" {
		step(t, ctx, "select the answer for the screenshot",
			chromedp.Focus(chromedp.CSS(`#q`)), chromedp.KeyEvent(kb.ArrowDown),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('copied').classList.remove('shown')`))
		shoot(t, ctx, filepath.Join("..", "docs", "staff.png"))
	}
	checkAccessibility(t, ctx, "console, light")
	step(t, ctx, "dark mode", setColorScheme("dark"))
	checkAccessibility(t, ctx, "console, dark")
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-dark.png"))
		step(t, ctx, "phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		shoot(t, ctx, filepath.Join("..", "docs", "staff-phone.png"))
		step(t, ctx, "desktop screen", chromedp.EmulateReset())
	}
	step(t, ctx, "light mode", setColorScheme("light"))

	// Enter opens the selected result's permalink, in its document's context.
	step(t, ctx, "open the second result",
		chromedp.Focus(chromedp.CSS(`#q`)),
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`.para.current`)),
	)
	if path := eval[string](t, ctx, `location.pathname`); !strings.HasPrefix(path, "/p/") {
		t.Errorf("Enter opened %s; want a permalink /p/...", path)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.para').length`); n < 2 {
		t.Errorf("permalink shows %d paragraphs; want the passage among its neighbours", n)
	}
	// The page's script is deferred: its keys work once the page has loaded.
	waitFor(t, ctx, "the permalink's script", `document.readyState === 'complete'`)
	step(t, ctx, "copy from the permalink", chromedp.KeyEvent("c"))
	waitFor(t, ctx, "permalink copied", `document.getElementById('copied').textContent.startsWith('Copié')`)
	if got := clipboard(t, ctx); !strings.Contains(got, " (source : ") {
		t.Errorf("clipboard on the permalink = %q; want the passage with its source", got)
	}
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-passage.png"))
	}
	checkAccessibility(t, ctx, "permalink")

	// Enter in the search field opens the first result of what is typed,
	// even before the debounced search has run.
	step(t, ctx, "type and press Enter at once",
		chromedp.Navigate(f.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "décacorne"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`.para.current`)),
	)
	if text := eval[string](t, ctx, `document.querySelector('.para.current').textContent`); !strings.Contains(text, "décacorne") {
		t.Errorf("Enter on %q opened a passage reading %q; want one holding the word", "décacorne", text)
	}

	// The question a visitor asked and that got no_answer, grouped with its
	// look-alike.
	step(t, ctx, "open the unanswered view",
		chromedp.Navigate(f.URL+"/staff#sans-reponse"),
		chromedp.WaitVisible(chromedp.CSS(`#view-log table`)),
	)
	row := eval[string](t, ctx, `document.querySelector('#view-log tbody tr').textContent`)
	if !strings.Contains(row, unanswered) || !strings.Contains(row, "2") {
		t.Errorf("unanswered view's first row reads %q; want %q asked twice", row, unanswered)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#view-log tbody tr:first-child .near a').length`); n == 0 {
		t.Errorf("unanswered question %q lists no nearest passage", unanswered)
	}
	if text := eval[string](t, ctx, `(document.querySelector('#view-log tbody tr:first-child .near-text') || {}).textContent || ''`); len(text) < 20 {
		t.Errorf("the nearest passage shows %q; want the start of its text", text)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#view-log tbody tr:first-child .near-text mark').length`); n == 0 {
		t.Errorf("the nearest passages of %q highlight no word of it", unanswered)
	}
	if href := eval[string](t, ctx, `document.getElementById('csv').getAttribute('href')`); !strings.HasPrefix(href, "/staff/api/log/unanswered.csv") {
		t.Errorf("CSV link is %q; want /staff/api/log/unanswered.csv...", href)
	}
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-unanswered.png"))
	}
	checkAccessibility(t, ctx, "unanswered view")

	// « Répondre »: the form of the team's answers, prefilled with the
	// group's question and its other wording; saved, the entry is listed.
	step(t, ctx, "answer the unanswered question",
		chromedp.Click(chromedp.CSS(`#view-log tbody tr:first-child .reply`)),
		chromedp.WaitVisible(chromedp.CSS(`#entry-form`)),
	)
	// The group's two wordings: one as the question, the other as its
	// other phrasing.
	question := eval[string](t, ctx, `document.getElementById('entry-question').value`)
	alternates := eval[string](t, ctx, `document.getElementById('entry-alternates').value`)
	if got := question + "\n" + alternates; !strings.Contains(got, unanswered) || !strings.Contains(got, strings.ToLower(strings.TrimSuffix(unanswered, " ?"))) || alternates == "" {
		t.Errorf("the form reads %q, other wordings %q; want %q and its look-alike", question, alternates, unanswered)
	}
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "entry-answer" {
		t.Errorf("focus on %q; want the answer's field", id)
	}
	step(t, ctx, "write and save the answer",
		chromedp.SendKeys(chromedp.CSS(`#entry-answer`), "L'équipe répond : voyez l'accueil de la mairie."),
		chromedp.SendKeys(chromedp.CSS(`#entry-link`), "https://mairie.example.fr/accueil"),
		chromedp.Click(chromedp.CSS(`#entry-form button[type="submit"]`)),
	)
	waitFor(t, ctx, "the entry listed", `document.querySelectorAll('#team-body tbody tr').length === 1`)
	if got := eval[string](t, ctx, `document.querySelector('#team-body tbody tr').textContent`); !strings.Contains(got, question) || !strings.Contains(got, "voyez l'accueil") {
		t.Errorf("the team's answers list %q", got)
	}
	if got := eval[string](t, ctx, `document.getElementById('entry-status').textContent`); !strings.HasPrefix(got, "Enregistrée") {
		t.Errorf("after saving, the form says %q", got)
	}
	entries, err := f.Log.Entries(context.Background())
	if err != nil || len(entries) != 1 || entries[0].Question != question || entries[0].Link != "https://mairie.example.fr/accueil" || len(entries[0].Alternates) != 1 {
		t.Errorf("stored entries %+v, %v", entries, err)
	}
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-team.png"))
	}
	checkAccessibility(t, ctx, "team's answers")
	// An empty answer is refused in the form, with the reason said.
	step(t, ctx, "save without an answer",
		chromedp.SendKeys(chromedp.CSS(`#entry-question`), "Une question sans réponse ?"),
		chromedp.Click(chromedp.CSS(`#entry-form button[type="submit"]`)),
	)
	if got := eval[string](t, ctx, `document.getElementById('entry-status').textContent`); got != "La réponse manque." {
		t.Errorf("saving without an answer says %q", got)
	}
	// Answered, the group leaves the unanswered view, which counts it.
	step(t, ctx, "back to the unanswered view",
		chromedp.Navigate(f.URL+"/staff#sans-reponse"),
		chromedp.WaitVisible(chromedp.CSS(`#view-log`)),
	)
	waitFor(t, ctx, "the view loaded", `document.getElementById('log-status').textContent.includes('réponse de l’équipe')`)
	if n := eval[int](t, ctx, `Array.from(document.querySelectorAll('#view-log tbody .question')).filter(e => e.textContent === `+jsString(question)+`).length`); n != 0 {
		t.Errorf("the answered group is still in the unanswered view")
	}
}

func jsonDecode(body string, v any) error { return json.Unmarshal([]byte(body), v) }
