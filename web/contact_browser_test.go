package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/sqlite"
)

// unansweredQuestion is one the seed corpus does not answer.
const unansweredQuestion = "Quel est le prix du pain en 1990 ?"

// TestContactFormInPage sends the built-in form from the chat page, with
// the keyboard: « Contacter l’équipe » under an answer that found nothing
// opens it with the focus in the message, the retention is said, an empty
// message is refused in place, and the confirmation takes the form's
// place, saying the team will reply to the address given; the request lands in the inbox with the conversation's turn.
// axe-core runs with the form open.
func TestContactFormInPage(t *testing.T) {
	f := newContactFixture(t)
	ctx := newBrowser(t)
	step(t, ctx, "load the page",
		chromedp.Navigate(f.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="online"]`)),
	)
	askInPage(t, ctx, unansweredQuestion)
	last := `#log article.msg.bot:last-of-type`
	step(t, ctx, "open the form",
		chromedp.Click(chromedp.CSS(last+` .contact-open`)),
		chromedp.WaitVisible(chromedp.CSS(last+` .contact-form textarea`)),
	)
	state := eval[map[string]string](t, ctx, `(() => {
		const b = document.querySelector('`+last+` .contact-open'), f = document.querySelector('`+last+` .contact-form');
		return {text: b.textContent, expanded: b.getAttribute('aria-expanded'), controls: b.getAttribute('aria-controls'),
			form: f.id, focus: document.activeElement.name, notice: f.querySelector('.contact-notice').textContent,
			email: f.querySelector('label[for="' + f.querySelector('input[name=email]').id + '"]').textContent};
	})()`)
	if state["text"] != "Contacter l’équipe" || state["expanded"] != "true" || state["controls"] != state["form"] || state["focus"] != "message" {
		t.Errorf("form opened: %v; want « Contacter l’équipe » expanded, controlling the form, the focus in the message", state)
	}
	if !strings.Contains(state["notice"], fmt.Sprintf("%d jours", store.DefaultDays)) || !strings.Contains(state["email"], "facultatif") {
		t.Errorf("notice %q, address label %q; want the retention of %d days and the address optional", state["notice"], state["email"], store.DefaultDays)
	}
	checkAccessibility(t, ctx, "with the contact form open")
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "contact-form.png"))
	}

	// Sent empty: refused in place, the focus kept in the message.
	step(t, ctx, "send it empty", chromedp.Click(chromedp.CSS(last+` .contact-send`)))
	refused := eval[map[string]string](t, ctx, `({status: document.querySelector('`+last+` .contact-status').textContent,
		invalid: document.querySelector('`+last+` textarea[name=message]').getAttribute('aria-invalid') || '',
		focus: document.activeElement.name})`)
	if !strings.Contains(refused["status"], "Écrivez votre message") || refused["invalid"] != "true" || refused["focus"] != "message" {
		t.Errorf("empty message: %v; want the French error, the message marked invalid and focused", refused)
	}
	step(t, ctx, "write and send",
		chromedp.SendKeys(chromedp.CSS(last+` textarea[name=message]`), "Je cherche le prix du pain en 1990."),
		chromedp.KeyEvent(kb.Tab),
		chromedp.SendKeys(chromedp.CSS(last+` input[name=email]`), "ana@exemple.fr"),
		chromedp.KeyEvent(kb.Enter), // submits the form
	)
	waitFor(t, ctx, "the confirmation", `!!document.querySelector('`+last+` .contact-done')`)
	done := eval[map[string]string](t, ctx, `({text: document.querySelector('`+last+` .contact-done').textContent,
		focus: document.activeElement.className, forms: String(document.querySelectorAll('.contact-form').length)})`)
	if done["text"] != labels["fr"]["formSentReply"] || done["focus"] != "contact-done" || done["forms"] != "0" {
		t.Errorf("after sending with an address: %v; want « %s » in the form's place, focused", done, labels["fr"]["formSentReply"])
	}
	got := storedRequests(t, f.Log)
	if len(got) != 1 || got[0].Message != "Je cherche le prix du pain en 1990." || got[0].Email != "ana@exemple.fr" ||
		len(got[0].Turns) != 1 || got[0].Turns[0].Question != unansweredQuestion {
		t.Errorf("inbox %+v; want the message, the address and the turn asked", got)
	}
	checkAccessibility(t, ctx, "with the contact form sent")

	// An answer rated down offers the form too (the hello's contact).
	askInPage(t, ctx, "Qui est le PDG de Mistral ?")
	step(t, ctx, "rate it down", chromedp.Click(chromedp.CSS(last+` .thumb:last-of-type`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('`+last+` .contact-open').length`); n != 1 {
		t.Errorf("an answer rated down offers the form %d time(s); want once", n)
	}
}

// TestContactFormInWidget sends the form from the widget's panel on
// another site, and finds the request in the inbox.
func TestContactFormInWidget(t *testing.T) {
	var causetteURL string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site hôte</title>`+
			`<script src="%s/widget.js" defer data-title="Questions"></script></head><body><h1>Site hôte</h1></body></html>`, causetteURL)
	}))
	t.Cleanup(host.Close)
	f := newStaffFixtureWith(t, "", Config{AllowOrigins: []string{host.URL}}, withContactForm)
	causetteURL = f.URL
	ctx := widgetContactForm(t, host.URL)
	widgetWait(t, ctx, "the focus in the message", inPanel[bool](`document.activeElement && document.activeElement.name === 'message'`))
	widgetRun(t, ctx, "write", chromedp.KeyEvent("Une question depuis le widget."))
	widgetRun(t, ctx, "send", inPanel[chromedp.Void](`document.querySelector('.contact-form').requestSubmit()`))
	widgetWait(t, ctx, "the confirmation", inPanel[bool](`!!document.querySelector('.contact-done')`))
	if done := widgetRun(t, ctx, "read the confirmation", inPanel[string](`document.querySelector('.contact-done').textContent`)); done != labels["fr"]["formSent"] {
		t.Errorf("after sending without an address: %q; want « %s »", done, labels["fr"]["formSent"])
	}
	got := storedRequests(t, f.Log)
	if len(got) != 1 || got[0].Message != "Une question depuis le widget." || got[0].Email != "" ||
		len(got[0].Turns) != 1 || got[0].Turns[0].Question != unansweredQuestion {
		t.Errorf("inbox %+v; want the widget's message, no address, and the turn asked", got)
	}
}

// withLogDays has the console keep requests days days, in a log of its own
// (the fixture's keeps the default): the form says the retention it is
// given.
func withLogDays(tb testing.TB, days int) func(*StaffConfig) {
	return func(sc *StaffConfig) {
		l := store.Open(sqlite.File{Path: filepath.Join(tb.TempDir(), "causette.db")}, store.Options{Days: days, Logger: quietLogger()})
		tb.Cleanup(func() { l.Close() })
		sc.Log = l
	}
}

// TestContactFormInEnglish sends the form from the widget's English panel
// with a log kept one day: the retention is said in the singular, the
// server's refusal of the address is said in English (not its French
// words), and the confirmation says the team will reply.
func TestContactFormInEnglish(t *testing.T) {
	var causetteURL string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host site</title>`+
			`<script src="%s/widget.js" defer data-lang="en"></script></head><body><h1>Host site</h1></body></html>`, causetteURL)
	}))
	t.Cleanup(host.Close)
	f := newStaffFixtureWith(t, "", Config{AllowOrigins: []string{host.URL}}, withContactForm, withLogDays(t, 1))
	causetteURL = f.URL
	ctx := widgetContactForm(t, host.URL)
	widgetWait(t, ctx, "the form", inPanel[bool](`!!document.querySelector('.contact-form .contact-notice')`))
	if notice := widgetRun(t, ctx, "read the notice", inPanel[string](`document.querySelector('.contact-notice').textContent`)); notice != labels["en"]["formNoticeOne"] {
		t.Errorf("notice with a retention of 1 day: %q; want %q", notice, labels["en"]["formNoticeOne"])
	}
	widgetRun(t, ctx, "send with a bad address", inPanel[chromedp.Void](`(() => {
		document.querySelector('.contact-form textarea[name=message]').value = 'A question from the English widget.';
		document.querySelector('.contact-form input[name=email]').value = 'not-an-address';
		document.querySelector('.contact-form').requestSubmit();
	})()`))
	widgetWait(t, ctx, "the refusal", inPanel[bool](`document.querySelector('.contact-status').classList.contains('failed')`))
	refused := widgetRun(t, ctx, "read the refusal", inPanel[map[string]string](`({status: document.querySelector('.contact-status').textContent,
		invalid: document.querySelector('.contact-form input[name=email]').getAttribute('aria-invalid') || ''})`))
	if refused["status"] != labels["en"]["formError.bad_email"] || refused["invalid"] != "true" {
		t.Errorf("bad address in English: %v; want %q, the address marked invalid", refused, labels["en"]["formError.bad_email"])
	}
	widgetRun(t, ctx, "send with a good address", inPanel[chromedp.Void](`(() => {
		document.querySelector('.contact-form input[name=email]').value = 'ana@example.com';
		document.querySelector('.contact-form').requestSubmit();
	})()`))
	widgetWait(t, ctx, "the confirmation", inPanel[bool](`!!document.querySelector('.contact-done')`))
	if done := widgetRun(t, ctx, "read the confirmation", inPanel[string](`document.querySelector('.contact-done').textContent`)); done != labels["en"]["formSentReply"] {
		t.Errorf("after sending with an address in English: %q; want %q", done, labels["en"]["formSentReply"])
	}
}

// widgetContactForm opens the host page at hostURL in a new browser, asks
// the widget a question it cannot answer and opens the contact form
// offered under the answer.
func widgetContactForm(t *testing.T, hostURL string) context.Context {
	t.Helper()
	ctx := widgetBrowser(t)
	widgetRun(t, ctx, "open the host page", chromedp.Navigate(hostURL+"/"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	clickLauncher(t, ctx)
	widgetWait(t, ctx, "focus in the panel's question box", inPanel[bool](`document.activeElement && document.activeElement.id === 'question' && document.hasFocus()`))
	widgetRun(t, ctx, "ask", chromedp.KeyEvent(unansweredQuestion+"\r"))
	widgetWait(t, ctx, "the answer that found nothing, with the contact", inPanel[bool](
		`!!document.querySelector('article.msg.bot.no-answer .contact-open') && !document.querySelector('.typing')`))
	widgetRun(t, ctx, "open the form", inPanel[chromedp.Void](`document.querySelector('article.msg.bot.no-answer .contact-open').click()`))
	return ctx
}
