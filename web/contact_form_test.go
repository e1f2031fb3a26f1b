package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/causette/causette/web/store"
)

// withContactForm turns the built-in contact form on.
func withContactForm(sc *StaffConfig) { sc.ContactForm = true }

// newContactFixture is a staff fixture with the contact form on and opts.
func newContactFixture(tb testing.TB, opts ...func(*StaffConfig)) *staffFixture {
	tb.Helper()
	return newStaffFixtureWith(tb, "", Config{}, append([]func(*StaffConfig){withContactForm}, opts...)...)
}

// postContact posts body to /api/contact as the chat page does.
func postContact(tb testing.TB, base, body string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest("POST", base+"/api/contact", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(tb, req)
}

// askTurn asks q through POST /api/ask and returns the turn's id.
func askTurn(tb testing.TB, base, q string) string {
	tb.Helper()
	resp, body := postAsk(tb, base, "", fmt.Sprintf(`{"q":%q}`, q))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Causette-Turn") == "" {
		tb.Fatalf("POST /api/ask %q: %d %s, turn %q", q, resp.StatusCode, body, resp.Header.Get("X-Causette-Turn"))
	}
	return resp.Header.Get("X-Causette-Turn")
}

// storedRequests lists the inbox.
func storedRequests(tb testing.TB, l *store.Log) []store.Request {
	tb.Helper()
	got, err := l.Requests(context.Background())
	if err != nil {
		tb.Fatalf("Requests: %v", err)
	}
	return got
}

func TestContactFormRefusesBadInput(t *testing.T) {
	f := newContactFixture(t)
	long := strings.Repeat("é", maxContactMessageRunes+1)
	for _, tt := range []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"not JSON", "application/x-www-form-urlencoded", "message=Bonjour", http.StatusUnsupportedMediaType, "not_json"},
		{"bad JSON", "application/json", `{"message":`, http.StatusBadRequest, "bad_json"},
		{"empty", "application/json", `{"message":""}`, http.StatusBadRequest, "empty"},
		{"blank", "application/json", `{"message":"  \n "}`, http.StatusBadRequest, "empty"},
		{"too long", "application/json", `{"message":"` + long + `"}`, http.StatusBadRequest, "too_long"},
		{"body too large", "application/json", `{"message":"` + strings.Repeat("a", maxContactBody) + `"}`, http.StatusRequestEntityTooLarge, "too_long"},
		{"not an address", "application/json", `{"message":"Bonjour","email":"pas-une-adresse"}`, http.StatusBadRequest, "bad_email"},
		{"address with a name", "application/json", `{"message":"Bonjour","email":"Ana <ana@exemple.fr>"}`, http.StatusBadRequest, "bad_email"},
		{"header smuggled", "application/json", `{"message":"Bonjour","email":"ana@exemple.fr\r\nBcc: b@exemple.fr"}`, http.StatusBadRequest, "bad_email"},
		{"two addresses", "application/json", `{"message":"Bonjour","email":"ana@exemple.fr,b@exemple.fr"}`, http.StatusBadRequest, "bad_email"},
		{"mailto query", "application/json", `{"message":"Bonjour","email":"ana@exemple.fr?cc=b@exemple.fr"}`, http.StatusBadRequest, "bad_email"},
	} {
		req, err := http.NewRequest("POST", f.URL+"/api/contact", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", tt.contentType)
		resp, body := do(t, req)
		var e apiError
		json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != tt.status || e.Code != tt.code || e.Message == "" {
			t.Errorf("%s: %d %s; want %d with code %q and a message", tt.name, resp.StatusCode, body, tt.status, tt.code)
		}
	}
	if got := storedRequests(t, f.Log); len(got) != 0 {
		t.Errorf("refused requests stored: %+v", got)
	}
}

// TestContactFormStoresTurnsFromTheLog: the request holds the turns the
// ids name, as the log holds them; an id of no turn attaches nothing.
func TestContactFormStoresTurnsFromTheLog(t *testing.T) {
	f := newContactFixture(t)
	first := askTurn(t, f.URL, "Qui est le PDG de Mistral ?")
	second := askTurn(t, f.URL, "Quel est le prix du pain en 1990 ?")
	resp, body := postContact(t, f.URL, fmt.Sprintf(`{"message":"  Je voudrais un rendez-vous.  ","email":"ana@exemple.fr",`+
		`"turns":[%q,"t-invente",%q,%q]}`, first, second, first))
	var reply contactReply
	if err := json.Unmarshal([]byte(body), &reply); err != nil || resp.StatusCode != http.StatusCreated || reply.Message != msgContactSentReply {
		t.Fatalf("POST /api/contact: %d %s; want 201 with %q", resp.StatusCode, body, msgContactSentReply)
	}
	got := storedRequests(t, f.Log)
	if len(got) != 1 {
		t.Fatalf("inbox: %+v; want one request", got)
	}
	r := got[0]
	if r.Message != "Je voudrais un rendez-vous." || r.Email != "ana@exemple.fr" || r.Status != store.StatusNew {
		t.Errorf("request %+v; want the message trimmed, the address, status new", r)
	}
	// Once each, in the conversation's order: second, then first (sent last).
	if len(r.Turns) != 2 || r.Turns[0].Question != "Quel est le prix du pain en 1990 ?" || r.Turns[1].Question != "Qui est le PDG de Mistral ?" {
		t.Fatalf("turns %+v; want the two turns asked, the made-up id attaching nothing", r.Turns)
	}
	if r.Turns[1].Answer == "" || r.Turns[1].Passage == "" {
		t.Errorf("answered turn attached as %+v; want its answer and citation from the log", r.Turns[1])
	}
	if r.Webhook.State != store.DeliveryNone {
		t.Errorf("without a webhook, delivery %q; want none", r.Webhook.State)
	}
}

// TestContactFormOffered: with the form on, an answer that found nothing
// offers it, with the retention; with it off, the route is not there.
func TestContactFormOffered(t *testing.T) {
	f := newContactFixture(t)
	resp, body := postAsk(t, f.URL, "", `{"q":"Quel est le prix du pain en 1990 ?"}`)
	var a struct {
		Kind    string
		Contact *struct {
			Form bool
			Days int
		}
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/ask: %d %s", resp.StatusCode, body)
	}
	if a.Kind != "no_answer" || a.Contact == nil || !a.Contact.Form || a.Contact.Days != store.DefaultDays {
		t.Errorf("unanswered question's contact %+v (kind %s); want form true and days %d", a.Contact, a.Kind, store.DefaultDays)
	}
	off := newStaffFixture(t, "")
	// 405: the API's preflight route holds /api/ for OPTIONS.
	if resp, body := postContact(t, off.URL, `{"message":"Bonjour"}`); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/contact without --contact-form: %d %s; want 405", resp.StatusCode, body)
	}
	if got := storedRequests(t, off.Log); len(got) != 0 {
		t.Errorf("without --contact-form, the inbox holds %+v", got)
	}
}

func TestContactFormHoneypotStoresNothing(t *testing.T) {
	f := newContactFixture(t)
	resp, body := postContact(t, f.URL, `{"message":"Achetez nos montres","website":"https://spam.example"}`)
	var reply contactReply
	json.Unmarshal([]byte(body), &reply)
	if resp.StatusCode != http.StatusCreated || reply.Message != msgContactSent {
		t.Errorf("honeypot filled: %d %s; want the answer of a request accepted (201, %q)", resp.StatusCode, body, msgContactSent)
	}
	if got := storedRequests(t, f.Log); len(got) != 0 {
		t.Errorf("honeypot filled: inbox holds %+v; want nothing", got)
	}
}

func TestContactFormRateLimited(t *testing.T) {
	f := newContactFixture(t)
	for i := range contactBurst {
		if resp, body := postContact(t, f.URL, fmt.Sprintf(`{"message":"Message %d"}`, i)); resp.StatusCode != http.StatusCreated {
			t.Fatalf("request %d of %d: %d %s; want 201", i+1, contactBurst, resp.StatusCode, body)
		}
	}
	resp, body := postContact(t, f.URL, `{"message":"Un de trop"}`)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != seconds(contactEvery) ||
		!strings.Contains(body, "patientez") {
		t.Errorf("request past the burst: %d Retry-After %q %s; want 429, Retry-After %s and a French message",
			resp.StatusCode, resp.Header.Get("Retry-After"), body, seconds(contactEvery))
	}
	if got := storedRequests(t, f.Log); len(got) != contactBurst {
		t.Errorf("inbox holds %d requests; want the %d accepted", len(got), contactBurst)
	}
}

func TestContactFormCrossSiteRefused(t *testing.T) {
	f := newStaffFixtureWith(t, "", Config{AllowOrigins: []string{"https://site.example"}}, withContactForm)
	for _, origin := range []string{"https://evil.example", "https://site.example"} {
		req, err := http.NewRequest("POST", f.URL+"/api/contact", strings.NewReader(`{"message":"Bonjour"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if resp, body := do(t, req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST /api/contact from %s: %d %s; want 403 (the widget posts from its own frame)", origin, resp.StatusCode, body)
		}
	}
	if got := storedRequests(t, f.Log); len(got) != 0 {
		t.Errorf("cross-site requests stored: %+v", got)
	}
}

// TestContactFormLimitInPage: the page bounds the message as the API does.
func TestContactFormLimitInPage(t *testing.T) {
	js, err := fs.ReadFile(staticFS, "app.js")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("var CONTACT_MAX = %d;", maxContactMessageRunes); !strings.Contains(string(js), want) {
		t.Errorf("app.js lacks %q: the form's bound differs from POST /api/contact's", want)
	}
}

// TestContactFormRateLimitBehindProxy: behind a trusted proxy, each
// visitor's address has its own budget; without one, the header is not
// believed.
func TestContactFormRateLimitBehindProxy(t *testing.T) {
	for _, trust := range []bool{true, false} {
		var cfg Config
		if trust {
			cfg.TrustedProxies = mustProxies(t, "127.0.0.1")
		}
		f := newStaffFixtureWith(t, "", cfg, withContactForm)
		send := func(from string) int {
			t.Helper()
			req, err := http.NewRequest("POST", f.URL+"/api/contact", strings.NewReader(`{"message":"Bonjour"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", from)
			resp, _ := do(t, req)
			return resp.StatusCode
		}
		for range contactBurst {
			send("203.0.113.7")
		}
		want := http.StatusCreated
		if !trust {
			want = http.StatusTooManyRequests // one peer, whatever the header says
		}
		if got := send("198.51.100.9"); got != want {
			t.Errorf("trusted proxy %v: another visitor after one spent its budget: %d; want %d", trust, got, want)
		}
		if got := send("203.0.113.7"); got != http.StatusTooManyRequests {
			t.Errorf("trusted proxy %v: the visitor past its budget: %d; want 429", trust, got)
		}
	}
}
