package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/causette/causette/web"
	"github.com/causette/causette/web/browsertest"
	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/sqlite"
)

// loopQuestion is out of the seed corpus's scope: Causette cannot answer it
// until the team does.
const loopQuestion = "Comment réparer une fuite d'eau ?"

// TestStaffLoopInBrowser runs the whole staff loop on a real serve, in
// Chromium: a visitor's question goes unanswered; a named édition account
// signs in and answers it from « Sans réponse »; a new visitor asking the
// same question gets the team's answer, cited; the first visitor writes to
// the team with the built-in form, and the request is in « Demandes » with
// the conversation. Every console view passes axe-core; with
// CAUSETTE_SCREENSHOTS=1 each is saved in docs/.
func TestStaffLoopInBrowser(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if out, err := runStaffCmd(t, "un-mot-de-passe-solide\n", "add", "ana", "--role", "édition", "--data", data); err != nil {
		t.Fatalf("staff add: %q, %v", out, err)
	}
	addr, done, cancel := startServe(t, data, "--contact-form")
	defer func() { cancel(); <-done }()
	waitReady(t, addr)
	base := "http://" + addr

	// A visitor asks; Causette does not know.
	visitor := browsertest.New(t, 1280, 860)
	browsertest.Step(t, visitor, "the chat page",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	if kind := askChat(t, visitor, loopQuestion); kind != "no_answer" {
		t.Fatalf("%q answered (%s) before the team did; want no_answer", loopQuestion, kind)
	}

	// Staff sign in by name and answer it from « Sans réponse ».
	staff := browsertest.New(t, 1280, 860)
	browsertest.Step(t, staff, "the console asks to sign in",
		chromedp.Navigate(base+"/staff#sans-reponse"),
		chromedp.WaitVisible(chromedp.CSS(`#name`)),
	)
	shootView(t, staff, "staff-signin-accounts.png", "sign-in")
	browsertest.Step(t, staff, "sign in as ana",
		chromedp.SendKeys(chromedp.CSS(`#name`), "ana"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "un-mot-de-passe-solide"+kb.Enter),
	)
	waitPage(t, staff, "the console after signing in", `!!document.querySelector('#view-log table')`)
	if who := browsertest.Eval[string](t, staff, `document.body.dataset.role + ' ' + document.querySelector('.account').textContent`); !strings.HasPrefix(who, "édition") || !strings.Contains(who, "ana") {
		t.Errorf("signed in, the console shows %q; want ana with the édition role", who)
	}
	row := `Array.from(document.querySelectorAll('#view-log tbody tr')).find(r => r.querySelector('.question').textContent === ` + strconv.Quote(loopQuestion) + `)`
	waitPage(t, staff, "the question in « Sans réponse »", "!!"+row)
	shootView(t, staff, "staff-unanswered.png", "unanswered view")
	browsertest.Step(t, staff, "« Répondre »",
		chromedp.Evaluate[chromedp.Void](row+`.querySelector('.reply').click()`),
		chromedp.WaitVisible(chromedp.CSS(`#entry-form`)),
	)
	if q := browsertest.Eval[string](t, staff, `document.getElementById('entry-question').value`); q != loopQuestion {
		t.Errorf("the form's question is %q; want the visitor's %q", q, loopQuestion)
	}
	const answer = "Coupez l'arrivée d'eau au robinet général, puis appelez le plombier de garde."
	browsertest.Step(t, staff, "write and save the answer",
		chromedp.SendKeys(chromedp.CSS(`#entry-answer`), answer),
		chromedp.Click(chromedp.CSS(`#entry-form button[type="submit"]`)),
	)
	waitPage(t, staff, "the entry saved", `document.getElementById('entry-status').textContent.startsWith('Enregistrée')`)
	shootView(t, staff, "", "team's answers")
	if by := browsertest.Eval[string](t, staff, `document.querySelector('#team-body tbody tr').textContent`); !strings.Contains(by, "ana") {
		t.Errorf("the team's answers list %q; want ana as the author", by)
	}

	// A new visitor asks the same question: the team's answer, cited.
	second := browsertest.New(t, 1280, 860)
	browsertest.Step(t, second, "a new visitor's chat page",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	kind := ""
	for try := 0; try < 20 && kind != "answer"; try++ { // the entry is served within seconds
		kind = askChat(t, second, loopQuestion)
	}
	last := `#log article.msg.bot:last-of-type`
	got := browsertest.Eval[string](t, second, `document.querySelector('`+last+`').textContent`)
	if kind != "answer" || !strings.Contains(got, "robinet général") {
		t.Fatalf("the new visitor gets %s: %q; want the team's answer", kind, got)
	}
	browsertest.Step(t, second, "open the source", chromedp.Click(chromedp.CSS(last+` .cite`)), chromedp.WaitVisible(chromedp.CSS(`#panel`)))
	if src := browsertest.Eval[string](t, second, `document.getElementById('panel').textContent`); !strings.Contains(src, web.TeamTitle) {
		t.Errorf("the source panel reads %q; want « %s »", src, web.TeamTitle)
	}

	// The first visitor writes to the team.
	first := `#log article.msg.bot:last-of-type`
	browsertest.Step(t, visitor, "« Contacter l’équipe »",
		chromedp.Click(chromedp.CSS(first+` .contact-open`)),
		chromedp.WaitVisible(chromedp.CSS(first+` .contact-form textarea`)),
		chromedp.SendKeys(chromedp.CSS(first+` textarea[name=message]`), "Et si la fuite vient de chez le voisin ?"),
		chromedp.SendKeys(chromedp.CSS(first+` input[name=email]`), "ana.visiteuse@exemple.fr"),
		chromedp.Click(chromedp.CSS(first+` .contact-send`)),
	)
	waitPage(t, visitor, "the confirmation", `!!document.querySelector('`+first+` .contact-done')`)

	// And rates an answer of the corpus down, for « Pouces baissés ».
	if kind := askChat(t, visitor, "Qui est le PDG de Mistral ?"); kind != "answer" {
		t.Fatalf("« Qui est le PDG de Mistral ? » got %s; want an answer", kind)
	}
	browsertest.Step(t, visitor, "rate it down", chromedp.Click(chromedp.CSS(first+` .thumb:last-of-type`)))
	waitPage(t, visitor, "the rating taken", `document.querySelector('`+first+` .thumb:last-of-type').getAttribute('aria-pressed') === 'true'`)
	// The rating leaves the page after a moment and the log writes it a
	// moment later: wait until the store holds it, read as another process.
	waitStored(t, filepath.Join(data, dbFileName), "the rating down", func(l *store.Log) bool {
		down, err := l.Disliked(context.Background(), time.Now().Add(-time.Hour), 10)
		return err == nil && len(down) > 0
	})

	// It is in « Demandes », with the question it follows.
	browsertest.Step(t, staff, "« Demandes »",
		chromedp.Navigate(base+"/staff#demandes"),
		chromedp.WaitVisible(chromedp.CSS(`#view-requests`)),
	)
	waitPage(t, staff, "the request listed", `document.querySelectorAll('#requests-body .request').length === 1`)
	req := browsertest.Eval[string](t, staff, `document.querySelector('#requests-body .request').textContent`)
	for _, want := range []string{"Et si la fuite vient de chez le voisin ?", "ana.visiteuse@exemple.fr", loopQuestion} {
		if !strings.Contains(req, want) {
			t.Errorf("the request reads %q; want %q in it", req, want)
		}
	}
	shootView(t, staff, "staff-requests.png", "requests")

	// Every other view, as staff see it after the loop: each loaded
	// afresh until it shows what the loop left in it.
	for _, v := range []struct{ hash, ready, file, name string }{
		{"#recherche", `!!document.querySelector('#q')`, "", "search"},
		{"#pouces-baisses", `document.querySelector('#view-log tbody') && document.querySelector('#view-log tbody').textContent.includes('PDG')`, "staff-disliked.png", "disliked"},
		{"#plus-posees", `document.querySelector('#view-log tbody') && document.querySelector('#view-log tbody').textContent.includes('fuite')`, "staff-top.png", "most asked"},
		{"#suggestions", `document.getElementById('suggestions-status').textContent !== ''`, "", "suggestions"},
	} {
		browsertest.Step(t, staff, v.name, chromedp.Navigate(base+"/staff/comptes"), chromedp.Navigate(base+"/staff"+v.hash))
		waitPage(t, staff, v.name+" loaded", v.ready)
		shootView(t, staff, v.file, v.name)
	}
	browsertest.Step(t, staff, "a passage's page", chromedp.Navigate(base+"/p/mistral-ai%23p3"), chromedp.WaitVisible(chromedp.CSS(`.para.current`)))
	shootView(t, staff, "", "passage page")
	browsertest.Step(t, staff, "« Comptes »", chromedp.Navigate(base+"/staff/comptes"), chromedp.WaitVisible(chromedp.CSS(`#accounts-body`)))
	shootView(t, staff, "", "accounts")

	l, err := sqlite.OpenReadOnly(context.Background(), filepath.Join(data, dbFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	entries, err := l.Entries(context.Background())
	if err != nil || len(entries) != 1 || entries[0].CreatedBy != "ana" {
		t.Errorf("stored entries %+v, %v; want the one ana wrote", entries, err)
	}
}

// waitStored waits (10 s at most) until ok holds on the server's database
// at path, opened read-only as the command line does.
func waitStored(t *testing.T, path, what string, ok func(*store.Log) bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		l, err := sqlite.OpenReadOnly(context.Background(), path)
		if err == nil {
			done := ok(l)
			l.Close()
			if done {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not in the store after 10 s", what)
		}
	}
}

// askChat asks q in the chat page and returns the kind of its answer:
// no_answer, or answer.
func askChat(t *testing.T, ctx context.Context, q string) string {
	t.Helper()
	before := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log article.msg.bot').length`)
	browsertest.Step(t, ctx, "ask "+q,
		chromedp.WaitEnabled(chromedp.CSS("#question")),
		chromedp.SendKeys(chromedp.CSS("#question"), q+"\r"),
	)
	waitPage(t, ctx, "the answer to "+q, fmt.Sprintf(
		`document.querySelectorAll('#log article.msg.bot').length > %d && !document.querySelector('.typing')`, before))
	if browsertest.Eval[bool](t, ctx, `document.querySelector('#log article.msg.bot:last-of-type').classList.contains('no-answer')`) {
		return "no_answer"
	}
	return "answer"
}

// waitPage waits until the page's expression cond is true, across a
// navigation too.
func waitPage(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	browsertest.Await(t, ctx, what, cond)
}

// shootView checks the page with axe-core and, with CAUSETTE_SCREENSHOTS=1,
// saves it as docs/file ("" saves nothing).
func shootView(t *testing.T, ctx context.Context, file, name string) {
	t.Helper()
	browsertest.CheckAccessibility(t, ctx, name)
	if file != "" && os.Getenv(browsertest.ScreenshotsEnv) == "1" {
		browsertest.Step(t, ctx, "blur", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
		browsertest.Shoot(t, ctx, filepath.Join("..", "..", "docs", file))
	}
}
