package web

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/web/browsertest"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Browser test settings (see package browsertest).
const (
	browserStepTimeout = browsertest.StepTimeout
	screenshotsEnv     = browsertest.ScreenshotsEnv
	ciEnv              = browsertest.CIEnv
	pollInterval       = browsertest.PollInterval
)

// newBrowser starts a headless Chromium, or stops the test without one.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, 1280, 860)
}

// newBrowserSized starts a headless Chromium with a window of the given size.
func newBrowserSized(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	return browsertest.New(tb, width, height)
}

// step runs actions with a timeout, failing the test with what.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Step(t, ctx, what, actions...)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return browsertest.Eval[T](t, ctx, expr)
}

// askInPage types a question, sends it with Enter and waits for the
// answer to finish typing itself in.
func askInPage(t *testing.T, ctx context.Context, q string) {
	t.Helper()
	before := eval[int](t, ctx, `document.querySelectorAll('#log article.msg.bot').length`)
	step(t, ctx, "ask "+q,
		chromedp.WaitEnabled(chromedp.CSS("#question")),
		chromedp.SendKeys(chromedp.CSS("#question"), q+"\r"),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(
			`document.querySelectorAll('#log article.msg.bot').length > %d && !document.querySelector('.typing')`, before),
			chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)),
	)
}

func TestBrowser(t *testing.T) {
	ctx := newBrowser(t)
	s := newTestServer(t, Config{Limits: generous})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	sv := startServeOn(t, s, ln)

	step(t, ctx, "load the page",
		chromedp.Navigate(sv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#starters .chip`)),
	)
	if n := eval[int](t, ctx, `document.querySelectorAll('#starters .chip').length`); n == 0 {
		t.Errorf("welcome shows %d starter chips; want some", n)
	}
	if h := eval[string](t, ctx, `document.querySelector('h1').textContent`); h != "Causette" {
		t.Errorf("header reads %q; want the bot's name", h)
	}

	// A question gets an answer with a citation chip.
	askInPage(t, ctx, "Qui est le PDG de Mistral ?")
	last := `document.querySelector('#log article.msg.bot:last-of-type')`
	if got := eval[string](t, ctx, last+`.querySelector('.text').textContent`); !strings.Contains(got, "Arthur Mensch") {
		t.Errorf("answer reads %q; want %q in it", got, "Arthur Mensch")
	}
	// The short answer stands in bold in the answer, once it is typed.
	step(t, ctx, "bold short answer", chromedp.Poll[chromedp.Void](
		last+`.querySelector('.text strong.short') !== null`,
		chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)))
	if got := eval[string](t, ctx, last+`.querySelector('.text strong.short').textContent`); got != "Arthur Mensch" {
		t.Errorf("the answer's bold words read %q; want the short answer %q", got, "Arthur Mensch")
	}
	if got := eval[string](t, ctx, `document.querySelector('#announcer').textContent`); !strings.Contains(got, "Arthur Mensch") {
		// The announcer is filled just after the answer.
		step(t, ctx, "announce the answer", chromedp.Poll[chromedp.Void](
			`document.querySelector('#announcer').textContent.includes('Arthur Mensch')`,
			chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)))
	}

	// The citation chip opens the passage with the matched words marked.
	step(t, ctx, "open the source",
		chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .cite`)),
		chromedp.WaitVisible(chromedp.CSS(`#panel`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('#panel-text').textContent`); !strings.Contains(got, "Arthur Mensch") {
		t.Errorf("source panel shows %q; want the cited passage", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#panel-text mark').length`); n == 0 {
		t.Errorf("source panel marks %d words; want the matched words highlighted", n)
	}
	if f := eval[string](t, ctx, `document.activeElement.id`); f != "panel" {
		t.Errorf("focus after opening the source is on #%s; want the panel", f)
	}
	step(t, ctx, "close the source with Escape",
		chromedp.KeyEvent("\u001b"),
		chromedp.WaitNotVisible(chromedp.CSS(`#panel`)),
	)

	// A follow-up, and a question out of the corpus.
	askInPage(t, ctx, "Quel est le modèle phare d'OpenAI ?")
	askInPage(t, ctx, "Et celui de Google ?")
	if got := eval[string](t, ctx, last+`.querySelector('.text').textContent`); !strings.Contains(got, "Bard") {
		t.Errorf("follow-up answer reads %q; want %q (context passed back)", got, "Bard")
	}
	askInPage(t, ctx, "Quel temps fera-t-il demain à Lyon ?")
	if kind := eval[string](t, ctx, last+`.dataset.kind`); kind != "no_answer" {
		t.Errorf("out-of-scope question gave kind %q; want no_answer", kind)
	} else if n := eval[int](t, ctx, last+`.querySelectorAll('.chip').length`); n == 0 {
		t.Errorf("no_answer shows %d suggestion chips; want some", n)
	}

	// A suggestion chip asks its question.
	step(t, ctx, "click a suggestion", chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .chip`)))
	step(t, ctx, "answer to the suggestion", chromedp.Poll[chromedp.Void](
		`document.querySelectorAll('#log article.msg.bot').length === 5 && !document.querySelector('.typing')`, chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)))

	// The answer types itself in; a click skips the typing; none when the
	// visitor asks for reduced motion.
	count := `document.querySelectorAll('#log article.msg.bot').length`
	n := eval[int](t, ctx, count)
	step(t, ctx, "ask and see the answer typing",
		chromedp.SendKeys(chromedp.CSS("#question"), "Pourquoi les entreprises européennes choisissent-elles Mistral ?\r"),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`%s > %d && document.querySelector('#log article.msg.bot:last-of-type .typing')`, count, n),
			chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)),
		chromedp.Click(chromedp.CSS("h1")),
	)
	if eval[bool](t, ctx, `!!document.querySelector('.typing')`) {
		t.Errorf("a click did not finish the typing of the answer")
	}
	step(t, ctx, "reduced motion", emulateMedia("prefers-reduced-motion", "reduce"))
	n = eval[int](t, ctx, count)
	step(t, ctx, "ask with reduced motion",
		chromedp.SendKeys(chromedp.CSS("#question"), "Combien vaut Mistral AI aujourd'hui ?\r"),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`%s > %d`, count, n),
			chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)),
	)
	if eval[bool](t, ctx, `!!document.querySelector('.typing')`) {
		t.Errorf("the answer types itself in although the visitor asked for reduced motion")
	}

	checkAccessibility(t, ctx, "light")
	step(t, ctx, "dark mode", setColorScheme("dark"))
	checkAccessibility(t, ctx, "dark")
	step(t, ctx, "light mode", setColorScheme("light"))

	if os.Getenv(screenshotsEnv) == "1" {
		saveScreenshots(t, ctx, sv.URL)
	}

	// The server goes away: the page shows it is offline and disables the
	// input; the server comes back: the page reconnects and goes on with the
	// same conversation.
	articles := eval[int](t, ctx, `document.querySelectorAll('#log article.msg.bot').length`)
	sv.Stop(t)
	step(t, ctx, "offline state", chromedp.WaitVisible(chromedp.CSS(`#status[data-state="offline"]`)))
	if !eval[bool](t, ctx, `document.querySelector('#question').disabled`) {
		t.Errorf("input is enabled while offline; want it disabled")
	}
	ln2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	startServeOn(t, newTestServer(t, Config{Limits: generous}), ln2)
	step(t, ctx, "reconnect", chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)))
	askInPage(t, ctx, "Et celui de Mistral AI ?")
	if n := eval[int](t, ctx, `document.querySelectorAll('#log article.msg.bot').length`); n != articles+1 {
		t.Errorf("after reconnecting the conversation has %d answers; want %d (kept, plus one)", n, articles+1)
	}
}

// setColorScheme emulates prefers-color-scheme.
func setColorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return emulateMedia("prefers-color-scheme", scheme)
}

// emulateMedia emulates one media feature (and resets the others).
func emulateMedia(name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: name, Value: value}},
		})
		return err
	})
}

// needTool stops a test that lacks a tool (see browsertest.NeedTool).
func needTool(tb testing.TB, why string) {
	tb.Helper()
	browsertest.NeedTool(tb, why)
}

// checkAccessibility runs axe-core on the page as it is.
func checkAccessibility(t *testing.T, ctx context.Context, mode string) {
	t.Helper()
	browsertest.CheckAccessibility(t, ctx, mode)
}

// saveScreenshots saves a conversation on a desktop and a phone screen in
// docs/.
func saveScreenshots(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	docs := filepath.Join("..", "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	// Desktop: a conversation with a source open.
	step(t, ctx, "desktop page",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, "Qui est le PDG de Mistral ?")
	askInPage(t, ctx, "Quel est le modèle phare d'OpenAI ?")
	askInPage(t, ctx, "Et celui de Google ?")
	step(t, ctx, "open a source for the screenshot",
		chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .cite`)),
		chromedp.WaitVisible(chromedp.CSS(`#panel`)),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`),
	)
	shoot(t, ctx, filepath.Join(docs, "screenshot.png"))
	step(t, ctx, "dark mode", setColorScheme("dark"))
	shoot(t, ctx, filepath.Join(docs, "screenshot-dark.png"))
	step(t, ctx, "light mode", setColorScheme("light"))
	step(t, ctx, "close the source", chromedp.Click(chromedp.CSS(`#panel-close`)))

	// Phone: a new conversation on a phone-sized screen, then back.
	step(t, ctx, "phone page",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, "Quel est le modèle phare d'OpenAI ?")
	askInPage(t, ctx, "Et celui de Google ?")
	step(t, ctx, "blur", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
	shoot(t, ctx, filepath.Join(docs, "screenshot-phone.png"))
	step(t, ctx, "open a source on the phone",
		chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .cite`)),
		chromedp.WaitVisible(chromedp.CSS(`#panel`)),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`),
	)
	shoot(t, ctx, filepath.Join(docs, "screenshot-phone-source.png"))
	step(t, ctx, "desktop again",
		chromedp.EmulateReset(),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, "Qui est le PDG de Mistral ?")
}

// shoot saves a screenshot of the page at path.
func shoot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	browsertest.Shoot(t, ctx, path)
}

// TestNewConversation checks the « Nouvelle conversation » button: the
// messages go, the welcome stays, and the next question carries no context
// (a follow-up is no longer read with the previous answer's entity).
func TestNewConversation(t *testing.T) {
	ctx := newBrowser(t)
	s := newTestServer(t, Config{Limits: generous})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sv := startServeOn(t, s, ln)
	step(t, ctx, "load the page",
		chromedp.Navigate(sv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, "Combien Mistral a-t-elle levé ?")
	askInPage(t, ctx, "Et OpenAI ?")
	followUp := eval[string](t, ctx, `document.querySelector('#log article.msg.bot:last-of-type .text').textContent`)
	step(t, ctx, "start over", chromedp.Click(chromedp.CSS("#new-chat")))
	if n := eval[int](t, ctx, `document.querySelectorAll('#log > :not(#welcome)').length`); n != 0 {
		t.Errorf("%d messages left after « Nouvelle conversation »; want none", n)
	}
	if !eval[bool](t, ctx, `!!document.querySelector('#welcome')`) {
		t.Errorf("the welcome went with the conversation")
	}
	if !eval[bool](t, ctx, `document.activeElement === document.querySelector('#question')`) {
		t.Errorf("the focus is not in the question box after starting over")
	}
	askInPage(t, ctx, "Et OpenAI ?")
	if alone := eval[string](t, ctx, `document.querySelector('#log article.msg.bot:last-of-type .text').textContent`); alone == followUp {
		t.Errorf("« Et OpenAI ? » after starting over reads %q, as it did as a follow-up: the context was kept", alone)
	}
	checkAccessibility(t, ctx, "after starting over")
}

// TestChoicesInPage checks that an answer offering two documents shows
// them as buttons under « Vouliez-vous parler de : », and that one asks its
// question and answers from its document.
func TestChoicesInPage(t *testing.T) {
	ix := corpusIndex(t, map[string]string{
		"labyrinthe.txt": "Le Labyrinthe\nLa sortie est prévue au printemps, après une longue préparation de toute l'équipe du projet.\n",
		"minotaure.txt":  "Le Minotaure\nLa sortie est prévue à l'automne, après une longue préparation de toute l'équipe du projet.\n",
		"budget.txt":     "Le Budget\nLe budget de la ville est voté chaque année par le conseil municipal, en séance publique.\n",
	})
	sv := serveLocal(t, Config{Index: ix, Engine: chat.New(ix, chat.Options{})})
	ctx := newBrowser(t)
	step(t, ctx, "load the page",
		chromedp.Navigate(sv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, "La sortie de l'équipe du projet passe-t-elle par le conseil ?")
	last := `document.querySelector('#log article.msg.bot:last-of-type')`
	labels := eval[[]string](t, ctx, `Array.from(`+last+`.querySelectorAll('.choices .chip')).map(b => b.textContent)`)
	if len(labels) != 2 || labels[0] == labels[1] {
		t.Fatalf("choices read %q; want the two documents", labels)
	}
	if got := eval[string](t, ctx, last+`.querySelector('.choices .chips-label').textContent`); got != "Vouliez-vous parler de :" {
		t.Errorf("the choices are introduced by %q", got)
	}
	checkAccessibility(t, ctx, "with choices")
	before := eval[int](t, ctx, `document.querySelectorAll('#log article.msg.bot').length`)
	step(t, ctx, "choose",
		chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .choices .chip`)),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelectorAll('#log article.msg.bot').length > %d && !document.querySelector('.typing')`, before),
			chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(browserStepTimeout)),
	)
	step(t, ctx, "open the source",
		chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .cite`)),
		chromedp.WaitVisible(chromedp.CSS(`#panel`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('#panel').textContent`); !strings.Contains(got, labels[0]) {
		t.Errorf("choosing %q answered from a source reading %q", labels[0], got)
	}
}

// TestSourceLinkInPage checks that a citation of a page with an address
// opens, from the source panel, a link to that page at its section (a new
// tab, rel=noopener), that a javascript: address never becomes a link, and
// that the panel with its link passes axe-core.
func TestSourceLinkInPage(t *testing.T) {
	pages := map[string]string{
		"carte.html": `<html><head><title>Carte</title><link rel="canonical" href="https://mediatheque.example.fr/carte"></head>
<body><main><h1>La carte de bibliothèque</h1><h2 id="pieces">Pièces à fournir</h2>
<p>La carte de bibliothèque se demande à l'accueil avec une pièce d'identité et un justificatif de domicile.</p></main></body></html>`,
		"ruse.md": "---\ntitle: Horaires\nurl: javascript:alert(1)\n---\n\nLa médiathèque ouvre du mardi au samedi, de dix heures à dix-neuf heures.\n",
	}
	ix := corpusIndex(t, pages)
	sv := serveLocal(t, Config{Index: ix, Engine: chat.New(ix, chat.Options{})})
	ctx := newBrowser(t)
	step(t, ctx, "load the page",
		chromedp.Navigate(sv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	openSource := func(q string) {
		askInPage(t, ctx, q)
		step(t, ctx, "open the source of "+q,
			chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .cite`)),
			chromedp.WaitVisible(chromedp.CSS(`#panel`)),
		)
	}
	openSource("Comment obtenir la carte de bibliothèque ?")
	type link struct{ Href, Target, Rel, Text string }
	got := eval[link](t, ctx, `(() => { const a = document.querySelector('#panel-title a');
		return a ? {Href: a.href, Target: a.target, Rel: a.rel, Text: a.textContent} : {}; })()`)
	if got.Href != "https://mediatheque.example.fr/carte#pieces" || got.Target != "_blank" || !strings.Contains(got.Rel, "noopener") ||
		!strings.HasPrefix(got.Text, "La carte de bibliothèque") {
		t.Errorf("source title link %+v; want the page at #pieces, in a new tab, rel=noopener", got)
	}
	checkAccessibility(t, ctx, "source panel with a link")
	step(t, ctx, "close the source", chromedp.Click(chromedp.CSS(`#panel-close`)))
	openSource("Quand la médiathèque ouvre-t-elle ?")
	if n := eval[int](t, ctx, `document.querySelectorAll('#panel-title a').length`); n != 0 {
		t.Errorf("a javascript: address became %d link(s)", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('#panel-title').textContent`); got != "Horaires" {
		t.Errorf("source title %q; want Horaires, as text", got)
	}
}

// TestContactInPage checks « Contacter l'équipe »: under an answer that
// found nothing, a link to the team's page with the question and a mailto:
// with it in the body; under an answer rated down, the same with the passage
// cited; and axe-core on the page with both.
func TestContactInPage(t *testing.T) {
	ix, eng := mustEngine(t)
	contact := &chat.Contact{URL: "https://mairie.example.fr/contact", Mail: "accueil@mairie.example.fr"}
	sv := serveLocal(t, Config{Index: ix, Engine: eng, Contact: contact})
	ctx := newBrowser(t)
	step(t, ctx, "load the page",
		chromedp.Navigate(sv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	const q = "Quel est le prix du pain en 1990 ?"
	askInPage(t, ctx, q)
	last := `document.querySelector('#log article.msg.bot:last-of-type')`
	links := eval[[]string](t, ctx, `Array.from(`+last+`.querySelectorAll('.contact a')).map(a => decodeURIComponent(a.href) + ' ' + a.target + ' ' + a.rel)`)
	if len(links) != 2 || !strings.HasPrefix(links[0], "https://mairie.example.fr/contact?question="+strings.ReplaceAll(q, " ", "+")+" _blank noopener") ||
		!strings.HasPrefix(links[1], "mailto:accueil@mairie.example.fr?subject=Une question sur le site&body=Ma question : "+q) {
		t.Errorf("contact links %q; want the page with the question in a new tab, and a mailto: with it", links)
	}
	askInPage(t, ctx, "Qui est le PDG de Mistral ?")
	if n := eval[int](t, ctx, last+`.querySelectorAll('.contact').length`); n != 0 {
		t.Errorf("an answer offers the contact %d time(s) before any rating", n)
	}
	step(t, ctx, "rate it down", chromedp.Click(chromedp.CSS(`#log article.msg.bot:last-of-type .thumb:last-of-type`)))
	mail := eval[string](t, ctx, `(() => { const a = `+last+`.querySelector('.contact a[href^="mailto:"]'); return a ? decodeURIComponent(a.href) : ''; })()`)
	if !strings.Contains(mail, "Ma question : Qui est le PDG de Mistral ?") || !strings.Contains(mail, "La réponse proposée citait : ") {
		t.Errorf("after a rating down, mailto %q; want the question and the passage cited", mail)
	}
	checkAccessibility(t, ctx, "with the contact offered")
}
