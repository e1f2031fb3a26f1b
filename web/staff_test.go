package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/sqlite"
)

const staffTestToken = "jeton-de-test-0123456789"

// staffFixture is a server over the seed with the staff console and a
// question log in a temporary directory.
type staffFixture struct {
	URL   string
	Staff *Staff
	Log   *store.Log
	Logs  *syncBuffer // the server's log lines
	clock *fakeClock
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// newStaffFixture starts the server; dbPath "" puts the database in a
// temporary directory.
func newStaffFixture(tb testing.TB, dbPath string) *staffFixture {
	tb.Helper()
	return newStaffFixtureWith(tb, dbPath, Config{})
}

// newStaffFixtureWith is newStaffFixture with cfg's fields (its Logger is
// replaced), the console's configuration changed by each of opts.
func newStaffFixtureWith(tb testing.TB, dbPath string, cfg Config, opts ...func(*StaffConfig)) *staffFixture {
	tb.Helper()
	if dbPath == "" {
		dbPath = filepath.Join(tb.TempDir(), "causette.db")
	}
	return newStaffFixtureOn(tb, sqlite.File{Path: dbPath}, cfg, opts...)
}

// newStaffFixtureOn is newStaffFixtureWith on the store db (a SQLite file,
// a PostgreSQL database).
func newStaffFixtureOn(tb testing.TB, db store.Database, cfg Config, opts ...func(*StaffConfig)) *staffFixture {
	tb.Helper()
	f := &staffFixture{Logs: &syncBuffer{}, clock: &fakeClock{now: time.Now()}}
	logger := slog.New(slog.NewTextHandler(f.Logs, nil))
	f.Log = store.Open(db, store.Options{Logger: logger})
	tb.Cleanup(func() { f.Log.Close() })
	ix, eng := mustEngine(tb)
	sc := StaffConfig{Token: staffTestToken, Log: f.Log, Engine: eng, Index: ix, Logger: logger, Now: f.clock.Now}
	for _, o := range opts {
		o(&sc)
	}
	st, err := NewStaff(sc)
	if err != nil {
		tb.Fatalf("NewStaff: %v", err)
	}
	tb.Cleanup(st.Close) // before the log's Close: cleanups run last first
	f.Staff = st
	cfg.Logger = logger
	st.Attach(&cfg)
	f.URL = startHTTP(tb, newTestServer(tb, cfg))
	return f
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// signIn posts token and returns the response (body closed).
func (f *staffFixture) signIn(tb testing.TB, token string) *http.Response {
	tb.Helper()
	resp, err := noRedirect.PostForm(f.URL+"/staff/signin", url.Values{"token": {token}, "next": {"/staff"}})
	if err != nil {
		tb.Fatalf("POST /staff/signin: %v", err)
	}
	resp.Body.Close()
	return resp
}

// session signs in and returns the session cookie.
func (f *staffFixture) session(tb testing.TB) *http.Cookie {
	tb.Helper()
	resp := f.signIn(tb, staffTestToken)
	for _, c := range resp.Cookies() {
		if c.Name == staffCookie {
			return c
		}
	}
	tb.Fatalf("sign-in with the right token: status %d, no %s cookie", resp.StatusCode, staffCookie)
	return nil
}

// staffTestPassword is every test account's password.
const staffTestPassword = "mot-de-passe-de-test"

// staffTestName is the name of the test account of role.
func staffTestName(role string) string { return "compte-" + role }

// addAccount adds the test account of role (an édition one first, as the
// first account must be), once.
func (f *staffFixture) addAccount(tb testing.TB, role string) string {
	tb.Helper()
	ctx := context.Background()
	if role != store.RoleEdit {
		f.addAccount(tb, store.RoleEdit)
	}
	name := staffTestName(role)
	if _, err := f.Log.StaffAccount(ctx, name); err == nil {
		return name
	}
	if _, err := AddStaffAccount(ctx, f.Log, name, role, staffTestPassword, "test"); err != nil {
		tb.Fatalf("AddStaffAccount(%q, %q): %v", name, role, err)
	}
	return name
}

// signInAs posts a name and a password, as from X-Forwarded-For from
// when from is not "", and returns the response (body read and closed).
func (f *staffFixture) signInAs(tb testing.TB, name, password, from string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest("POST", f.URL+"/staff/signin",
		strings.NewReader(url.Values{"name": {name}, "password": {password}, "next": {"/staff"}}.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	return sendNoRedirect(tb, req)
}

// sendNoRedirect sends req without following redirects and returns the
// response with its body, read and closed.
func sendNoRedirect(tb testing.TB, req *http.Request) (*http.Response, string) {
	tb.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.String()
}

// sessionAs signs in as the test account of role (added if need be) and
// returns the session cookie. Once an account exists the token no longer
// signs in: a test uses session or sessionAs, not both.
func (f *staffFixture) sessionAs(tb testing.TB, role string) *http.Cookie {
	tb.Helper()
	name := f.addAccount(tb, role)
	resp, body := f.signInAs(tb, name, staffTestPassword, "")
	for _, c := range resp.Cookies() {
		if c.Name == staffCookie {
			return c
		}
	}
	tb.Fatalf("sign-in as %s: status %d, no %s cookie\n%s", name, resp.StatusCode, staffCookie, body)
	return nil
}

// get fetches path with an optional cookie, without following redirects.
func (f *staffFixture) get(tb testing.TB, path string, c *http.Cookie) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest("GET", f.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if c != nil {
		req.AddCookie(c)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.String()
}

// staffRoutes are every route behind the sign-in: pages redirect, APIs 401.
var staffRoutes = []struct {
	path string
	page bool
}{
	{"/staff", true},
	{"/staff/", true},
	{"/p/mistral-ai%23p3", true},
	{"/staff/api/search?q=mistral", false},
	{"/staff/api/log/unanswered", false},
	{"/staff/api/log/unanswered.csv", false},
	{"/staff/api/log/disliked", false},
	{"/staff/api/log/disliked.csv", false},
	{"/staff/api/log/top", false},
	{"/staff/api/log/top.csv", false},
	{"/staff/api/log/recent", false},
	{"/staff/api/health", false},
	{"/staff/api/entries", false},
}

func TestStaffRoutesNeedSession(t *testing.T) {
	f := newStaffFixture(t, "")
	forged := &http.Cookie{Name: staffCookie, Value: strings.Repeat("ab", staffTokenBytes)}
	good := f.session(t)
	for _, r := range staffRoutes {
		for _, c := range []*http.Cookie{nil, forged} {
			resp, body := f.get(t, r.path, c)
			who := "without a session"
			if c != nil {
				who = "with a forged session"
			}
			if r.page {
				loc := resp.Header.Get("Location")
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/staff/signin?next=") {
					t.Errorf("GET %s %s: %d, Location %q; want 303 to /staff/signin?next=...", r.path, who, resp.StatusCode, loc)
				}
			} else if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"unauthorized"`) {
				t.Errorf("GET %s %s: %d %q; want 401 unauthorized", r.path, who, resp.StatusCode, body)
			}
		}
		resp, body := f.get(t, r.path, good)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s with a session: %d %q; want 200", r.path, resp.StatusCode, body)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q; want no-store", r.path, cc)
		}
	}
	// Signing out ends the session.
	req, _ := http.NewRequest("POST", f.URL+"/staff/signout", nil)
	req.AddCookie(good)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp, _ := f.get(t, "/staff/api/search?q=mistral", good); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after sign-out the old session gets %d; want 401", resp.StatusCode)
	}
}

func TestStaffSignInCookie(t *testing.T) {
	f := newStaffFixture(t, "")
	resp := f.signIn(t, staffTestToken)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff" {
		t.Fatalf("sign-in: %d to %q; want 303 to /staff", resp.StatusCode, resp.Header.Get("Location"))
	}
	set := resp.Header.Get("Set-Cookie")
	for _, want := range []string{staffCookie + "=", "HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %q", set, want)
		}
	}
	if c := resp.Cookies()[0]; len(c.Value) != 2*staffTokenBytes || c.Value == staffTestToken {
		t.Errorf("session id %q; want %d random hex digits, not the token", c.Value, 2*staffTokenBytes)
	}
	page, body := f.get(t, "/staff/signin", nil)
	if page.StatusCode != http.StatusOK || !strings.Contains(body, `lang="fr"`) || !strings.Contains(body, "Jeton") {
		t.Errorf("GET /staff/signin: %d; want the French sign-in form", page.StatusCode)
	}
}

func TestStaffWrongTokenRateLimited(t *testing.T) {
	f := newStaffFixture(t, "")
	for i := 1; i <= staffSignInAttempts; i++ {
		if resp := f.signIn(t, "mauvais-jeton"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong token #%d: %d; want 401", i, resp.StatusCode)
		}
	}
	// Once limited, even the right token is refused: guessing gains nothing.
	resp := f.signIn(t, staffTestToken)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("right token after %d wrong ones: %d (Retry-After %q); want 429 with Retry-After", staffSignInAttempts, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("a refused sign-in set cookies %v", resp.Cookies())
	}
	f.clock.Add(staffSignInWindow)
	if resp := f.signIn(t, staffTestToken); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("right token once the window passed: %d; want 303", resp.StatusCode)
	}
	if !strings.Contains(f.Logs.String(), "wrong token") {
		t.Errorf("server log lacks the wrong tokens:\n%s", f.Logs.String())
	}
	if strings.Contains(f.Logs.String(), staffTestToken) || strings.Contains(f.Logs.String(), "mauvais-jeton") {
		t.Errorf("server log shows a token:\n%s", f.Logs.String())
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/staff"},
		{"/staff", "/staff"},
		{"/p/mistral-ai%23p3", "/p/mistral-ai%23p3"},
		{"/staff/api/log/top.csv?since=7d", "/staff/api/log/top.csv?since=7d"},
		{"https://evil.example/staff", "/staff"},
		{"//evil.example/staff", "/staff"},
		{"/\\evil.example", "/staff"},
		{"/", "/staff"},
		{"javascript:alert(1)", "/staff"},
		{"/staff#demandes", "/staff#demandes"},
		{"https://evil.example/staff#demandes", "/staff"},
		{"/ailleurs#staff", "/staff"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestStaffSearch(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	tests := []struct {
		q, searched string
	}{
		{"Arthur Mensch", "Arthur Mensch"},
		{"qui dirige mistr", "qui dirige Mistral"}, // the word being typed is completed
		{"décacorne", "décacorne"},
	}
	for _, tt := range tests {
		resp, body := f.get(t, "/staff/api/search?q="+url.QueryEscape(tt.q), c)
		var res staffSearch
		if err := json.Unmarshal([]byte(body), &res); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("search %q: %d %v %q", tt.q, resp.StatusCode, err, body)
		}
		if res.Searched != tt.searched {
			t.Errorf("search %q searched %q; want %q", tt.q, res.Searched, tt.searched)
		}
		if len(res.Passages) == 0 {
			t.Errorf("search %q: no passage", tt.q)
			continue
		}
		p := res.Passages[0]
		if len(p.Highlights) == 0 || p.ID == "" || p.Title == "" || p.Paragraph == 0 || p.Kind == "" || p.Score <= 0 {
			t.Errorf("search %q: first passage %+v; want id, title, paragraph, kind, score and highlights", tt.q, p)
		}
		if res.Answer == nil {
			t.Errorf("search %q: no answer on top", tt.q)
		}
	}
}

func TestStaffPassagePage(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	ix, _ := mustEngine(t)
	p, ok := ix.Passage("mistral-ai#p3")
	if !ok {
		t.Fatal("seed has no passage mistral-ai#p3")
	}
	resp, body := f.get(t, "/p/"+url.PathEscape(p.ID), c)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /p/%s: %d", p.ID, resp.StatusCode)
	}
	for _, n := range ix.Neighbours(p.ID, staffContext) {
		if want := `href="/p/` + url.PathEscape(n.ID) + `"`; !strings.Contains(body, want) {
			t.Errorf("permalink of %s lacks its neighbour link %s", p.ID, want)
		}
	}
	if !strings.Contains(body, `aria-current="true"`) || !strings.Contains(body, "(source : ") {
		t.Errorf("permalink of %s lacks the current passage or its citation", p.ID)
	}
	if resp, _ := f.get(t, "/p/nope%23p999", c); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /p/nope#p999: %d; want 404", resp.StatusCode)
	}
}

func TestCiteText(t *testing.T) {
	ix, _ := mustEngine(t)
	p, _ := ix.Passage("mistral-ai#p3")
	got := citeText("Arthur Mensch dirige Mistral AI.", p)
	want := "Arthur Mensch dirige Mistral AI. (source : " + p.Title
	if p.Section != "" {
		want += ", section " + p.Section
	}
	want += ", §3)"
	if got != want {
		t.Errorf("citeText = %q; want %q", got, want)
	}
}

// TestVisitorTurnsLogged asks over the socket and the API, rates an answer
// down, and reads the turns back in the staff views.
func TestVisitorTurnsLogged(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	ws, _ := dial(t, f.URL)
	a := ws.ask("c1", "Qui est le PDG de Mistral AI ?", "")
	if a.Type != "answer" {
		t.Fatalf("ask: %+v; want an answer", a)
	}
	ws.send(map[string]string{"type": "feedback", "id": "c1", "value": "down"})
	body := strings.NewReader(`{"q":"Quelle est la recette de la tarte Tatin ?"}`)
	resp, err := http.Post(f.URL+"/api/ask", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// The feedback travels over the socket after the answer: wait for it.
	deadline := time.Now().Add(testTimeout)
	var disliked struct{ Turns []store.Turn }
	for {
		_, body := f.get(t, "/staff/api/log/disliked", c)
		json.Unmarshal([]byte(body), &disliked)
		if len(disliked.Turns) > 0 || time.Now().After(deadline) {
			break
		}
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		f.Log.Flush(ctx)
		cancel()
	}
	if len(disliked.Turns) != 1 || disliked.Turns[0].Question != "Qui est le PDG de Mistral AI ?" || disliked.Turns[0].Passage == "" {
		t.Fatalf("disliked view = %+v; want the rated turn with its cited passage", disliked.Turns)
	}
	_, recentBody := f.get(t, "/staff/api/log/recent", c)
	var recent struct{ Turns []store.Turn }
	json.Unmarshal([]byte(recentBody), &recent)
	if len(recent.Turns) != 2 {
		t.Fatalf("recent view = %+v; want the 2 turns", recent.Turns)
	}
	for _, tr := range recent.Turns {
		if tr.Kind == "" || tr.Latency <= 0 || tr.Time.IsZero() {
			t.Errorf("logged turn %+v; want kind, latency and time", tr)
		}
	}
	_, csvBody := f.get(t, "/staff/api/log/disliked.csv", c)
	if !strings.HasPrefix(csvBody, "date,question,type") || !strings.Contains(csvBody, "Qui est le PDG de Mistral AI ?") {
		t.Errorf("disliked.csv = %q; want the header and the rated question", csvBody)
	}
}

// TestChatAnswersWhenLogCannotWrite puts the database in a missing
// directory: visitors still get answers; /healthz/log and the log say so.
func TestChatAnswersWhenLogCannotWrite(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "absent", "causette.db")
	// The turn is handed to the log after its answer is queued: the answer
	// may arrive first. OnTurn runs after the log took the turn (Attach
	// chains it), so the test waits for it before flushing.
	recorded := make(chan struct{}, 1)
	f := newStaffFixtureWith(t, dbPath, Config{OnTurn: func(TurnRecord) { recorded <- struct{}{} }})
	ws, _ := dial(t, f.URL)
	if a := ws.ask("c1", "Qui est le PDG de Mistral AI ?", ""); a.Type != "answer" || len(a.Citations) == 0 {
		t.Fatalf("ask with a broken log: %+v; want an answer with citations", a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	select {
	case <-recorded:
	case <-ctx.Done():
		t.Fatalf("the turn was not handed to the log within %v", testTimeout)
	}
	if err := f.Log.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// /healthz/log is public: 503, the problem in a word, no path nor error
	// text; the staff view has them.
	resp, body := f.get(t, "/healthz/log", nil)
	var pub struct {
		QuestionLog store.PublicHealth `json:"question_log"`
	}
	json.Unmarshal([]byte(body), &pub)
	if resp.StatusCode != http.StatusServiceUnavailable || pub.QuestionLog.OK || pub.QuestionLog.Failed < 1 ||
		pub.QuestionLog.Problem != store.ProblemUnavailable || strings.Contains(body, f.Log.Path()) || strings.Contains(body, "error") {
		t.Errorf("/healthz/log with a broken log: %d %s; want 503, not ok, a failed write, no path nor error text", resp.StatusCode, body)
	}
	if resp, _ := f.get(t, "/staff/api/health", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/staff/api/health without a session: %d; want 401", resp.StatusCode)
	}
	resp, body = f.get(t, "/staff/api/health", f.session(t))
	var h struct {
		QuestionLog store.Health `json:"question_log"`
		Path        string       `json:"path"`
	}
	json.Unmarshal([]byte(body), &h)
	if resp.StatusCode != http.StatusOK || h.QuestionLog.OK || h.QuestionLog.Error == "" || h.Path != f.Log.Path() {
		t.Errorf("/staff/api/health with a broken log: %d %s; want 200 with the error and the path", resp.StatusCode, body)
	}
	// /healthz says it too, yet stays 200: visitors are still answered. It
	// is public: the problem in a word, no path, no error text.
	resp, body = f.get(t, "/healthz", nil)
	var all struct {
		Status      string             `json:"status"`
		Failing     []string           `json:"failing"`
		QuestionLog store.PublicHealth `json:"question_log"`
	}
	json.Unmarshal([]byte(body), &all)
	if resp.StatusCode != http.StatusOK || all.Status != "degraded" || !slices.Equal(all.Failing, []string{"question_log"}) ||
		all.QuestionLog.OK || all.QuestionLog.Failed < 1 || all.QuestionLog.Problem != store.ProblemUnavailable {
		t.Errorf("/healthz with a broken log: %d %s; want 200, status degraded, question_log failing, unavailable", resp.StatusCode, body)
	}
	if strings.Contains(body, dbPath) || (h.QuestionLog.Error != "" && strings.Contains(body, h.QuestionLog.Error)) {
		t.Errorf("/healthz = %s; want neither the path %s nor the error %q", body, dbPath, h.QuestionLog.Error)
	}
	if !strings.Contains(f.Logs.String(), "question log write failed") {
		t.Errorf("server log lacks the failed write:\n%s", f.Logs.String())
	}
	c := f.session(t)
	if resp, body := f.get(t, "/staff/api/log/unanswered", c); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "indisponible") {
		t.Errorf("unanswered view with a broken log: %d %q; want 503 saying it is unavailable", resp.StatusCode, body)
	}
}

func TestHealthzLogOK(t *testing.T) {
	f := newStaffFixture(t, "")
	tests := []struct{ path, want string }{
		{"/healthz/log", `"question_log":{"ok":true`},
		{"/healthz", `"question_log":{"ok":true`},
		{"/healthz", `"status":"ok"`},
	}
	for _, tt := range tests {
		resp, body := f.get(t, tt.path, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s: %d %s; want 200 with %s", tt.path, resp.StatusCode, body, tt.want)
		}
	}
}

func TestVisitorPagesHideStaff(t *testing.T) {
	f := newStaffFixture(t, "")
	for _, path := range []string{"/", "/static/app.js", "/widget.js", "/embed"} {
		resp, body := f.get(t, path, nil)
		if resp.StatusCode != http.StatusOK {
			continue // a page of another part may take parameters
		}
		for _, leak := range []string{"/staff", "/p/", staffCookie} {
			if strings.Contains(body, leak) {
				t.Errorf("visitor page %s mentions %q", path, leak)
			}
		}
	}
}

// BenchmarkStaffSearch measures one lookup as staff type it: the answer on
// top and the ranked passages with their highlights.
func BenchmarkStaffSearch(b *testing.B) {
	f := newStaffFixture(b, "")
	h := http.HandlerFunc(f.Staff.handleSearch)
	queries := []string{"qui est le PDG de mistr", "valorisation", "contrat SNCF"}
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest("GET", "/staff/api/search?q="+url.QueryEscape(queries[i%len(queries)]), nil)
		rec := httptest.NewRecorder()
		h(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("search: %d", rec.Code)
		}
	}
}

// TestStaffSignInLimitBehindProxy checks that wrong tokens are counted per
// visitor address as the chat counts them: behind a trusted proxy, the last
// X-Forwarded-For address; else the peer's, whatever the header says.
func TestStaffSignInLimitBehindProxy(t *testing.T) {
	tests := []struct {
		trust          bool   // the test server's peer (127.0.0.1) is a trusted proxy
		wrongFrom      string // X-Forwarded-For of the wrong tokens
		rightFrom      string // X-Forwarded-For of the right token, after them
		wantRightToken int
	}{
		{true, "203.0.113.7", "198.51.100.9", http.StatusSeeOther},                     // another visitor
		{true, "203.0.113.7", "198.51.100.9, 203.0.113.7", http.StatusTooManyRequests}, // same visitor, spoofed prefix
		{true, "203.0.113.7", "203.0.113.7", http.StatusTooManyRequests},
		{false, "203.0.113.7", "198.51.100.9", http.StatusTooManyRequests}, // header ignored: one peer
	}
	for _, tt := range tests {
		var cfg Config
		if tt.trust {
			cfg.TrustedProxies = mustProxies(t, "127.0.0.1")
		}
		f := newStaffFixtureWith(t, "", cfg)
		signIn := func(token, from string) int {
			t.Helper()
			req, err := http.NewRequest("POST", f.URL+"/staff/signin",
				strings.NewReader(url.Values{"token": {token}, "next": {"/staff"}}.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", from)
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatalf("POST /staff/signin: %v", err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		for i := 1; i <= staffSignInAttempts; i++ {
			if got := signIn("mauvais-jeton", tt.wrongFrom); got != http.StatusUnauthorized {
				t.Fatalf("trust proxy %v: wrong token #%d from %q: %d; want 401", tt.trust, i, tt.wrongFrom, got)
			}
		}
		if got := signIn(staffTestToken, tt.rightFrom); got != tt.wantRightToken {
			t.Errorf("trust proxy %v: right token from %q after %d wrong ones from %q: %d; want %d",
				tt.trust, tt.rightFrom, staffSignInAttempts, tt.wrongFrom, got, tt.wantRightToken)
		}
	}
}

// TestHealthSkippedFiles checks that corpus files left out are counted by
// /healthz, which turns degraded but names no file, and listed with why for
// the staff at /staff/api/health.
func TestHealthSkippedFiles(t *testing.T) {
	ix := corpusIndex(t, map[string]string{
		"velo.txt":      "Le vélo\nLe vélo de ville coûte 300 euros chez le marchand du quartier.\n",
		"secret-rh.csv": "question,réponse\nQuand ?,\n",
	})
	eng := chat.New(ix, chat.Options{})
	log := sqlite.Open(filepath.Join(t.TempDir(), "causette.db"), store.Options{Logger: quietLogger()})
	t.Cleanup(func() { log.Close() })
	st, err := NewStaff(StaffConfig{Token: staffTestToken, Log: log, Engine: eng, Index: ix, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Logger: quietLogger()}
	st.Attach(&cfg)
	cfg.Index, cfg.Engine = ix, eng
	s, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &staffFixture{URL: startHTTP(t, s)}
	_, body := f.get(t, "/healthz", nil)
	if !strings.Contains(body, `"skipped":1`) || !strings.Contains(body, `"status":"degraded"`) || strings.Contains(body, "secret-rh") {
		t.Errorf("/healthz = %s; want skipped 1, degraded, and no file name", body)
	}
	_, body = f.get(t, "/staff/api/health", f.session(t))
	if !strings.Contains(body, `"file":"secret-rh.csv"`) || !strings.Contains(body, "ligne 2") {
		t.Errorf("/staff/api/health = %s; want the file and why", body)
	}
}
