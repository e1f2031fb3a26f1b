package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/postgres"
	"github.com/causette/causette/web/store/postgres/pgtest"
)

// recoverWait bounds how long the question log may take to write again
// once PostgreSQL is back: the pool dials at the next write.
const recoverWait = 30 * time.Second

// TestPostgresLostWhileServing is the degraded mode the store promises,
// on a real PostgreSQL cut away while serving: visitors keep being
// answered, /healthz says degraded (and stays 200), /healthz/log names the
// problem in a word; once the server is back the log writes again and
// /healthz is ok.
func TestPostgresLostWhileServing(t *testing.T) {
	proxy := pgtest.NewProxy(t, pgtest.Start(t))
	f := newStaffFixtureOn(t, postgres.Server{URL: proxy.URL}, Config{})
	ask := func(q string) chat.Answer {
		t.Helper()
		req, _ := json.Marshal(map[string]string{"q": q})
		resp, body := post(t, f.URL+"/api/ask", "", string(req))
		var a chat.Answer
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &a) != nil || a.Kind == "" {
			t.Fatalf("POST /api/ask %q: %d %s; want an answer", q, resp.StatusCode, body)
		}
		return a
	}
	health := func() (int, map[string]any) {
		t.Helper()
		resp, body := f.get(t, "/healthz", nil)
		var h map[string]any
		json.Unmarshal([]byte(body), &h)
		return resp.StatusCode, h
	}
	ask("Quel est le modèle phare d'OpenAI ?")
	mustFlushLog(t, f)
	if code, h := health(); code != http.StatusOK || h["status"] != "ok" {
		t.Fatalf("/healthz before the cut: %d %v; want 200 ok", code, h)
	}

	proxy.Cut()
	start := time.Now()
	ask("Qui dirige Mistral ?") // answered all the same
	t.Logf("answer while PostgreSQL is away: %v", time.Since(start))
	mustFlushLog(t, f)
	code, h := health()
	if code != http.StatusOK || h["status"] != "degraded" || !strings.Contains(jsonText(h["failing"]), "question_log") {
		t.Errorf("/healthz while PostgreSQL is away: %d %v; want 200, degraded, question_log failing", code, h)
	}
	resp, body := f.get(t, "/healthz/log", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, store.ProblemWriteFailed) && !strings.Contains(body, store.ProblemUnavailable) ||
		strings.Contains(body, "127.0.0.1") {
		t.Errorf("/healthz/log while PostgreSQL is away: %d %s; want 503, the problem in a word, no address", resp.StatusCode, body)
	}
	t.Logf("/healthz while PostgreSQL is away: %v", h)

	proxy.Restore(t)
	deadline := time.Now().Add(recoverWait)
	for !f.Log.Health().OK && time.Now().Before(deadline) {
		ask("Qui dirige Mistral ?")
		mustFlushLog(t, f)
	}
	if code, h := health(); code != http.StatusOK || h["status"] != "ok" {
		t.Errorf("/healthz once PostgreSQL is back: %d %v; want 200 ok", code, h)
	}
}

// jsonText is v as JSON, for a look inside decoded values.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestStaffSessionEveryReplica: two servers on one PostgreSQL store, as two
// replicas behind a load balancer: a named account's session opened on A
// works on B, and signing out on A signs out on B at once.
func TestStaffSessionEveryReplica(t *testing.T) {
	db := postgres.Server{URL: pgtest.Start(t)}
	a, b := newStaffFixtureOn(t, db, Config{}), newStaffFixtureOn(t, db, Config{})
	c := a.sessionAs(t, store.RoleEdit)
	if resp, body := b.get(t, "/staff/api/health", c); resp.StatusCode != http.StatusOK {
		t.Fatalf("B's /staff/api/health with a session opened on A: %d %s; want 200", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("POST", a.URL+"/staff/signout", nil)
	req.Header.Set("Origin", a.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(c)
	if resp, body := sendNoRedirect(t, req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /staff/signout on A: %d %s; want 303", resp.StatusCode, body)
	}
	if resp, _ := b.get(t, "/staff/api/health", c); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("B's /staff/api/health after signing out on A: %d; want 401", resp.StatusCode)
	}
}

// TestFeedbackOnAnotherReplica: a visitor answered by server A rates the
// answer through server B (its page reconnected there): the rating lands
// on A's turn, read back from either; a turn no replica logged is refused.
func TestFeedbackOnAnotherReplica(t *testing.T) {
	db := postgres.Server{URL: pgtest.Start(t)}
	a, b := newStaffFixtureOn(t, db, Config{}), newStaffFixtureOn(t, db, Config{})
	onA, _ := dial(t, a.URL)
	answer := onA.ask("m1", "Qui est le PDG de Mistral ?", "")
	if answer.Type != "answer" || answer.Turn == "" {
		t.Fatalf("ask on A: %+v; want an answer with its turn", answer)
	}
	onB, _ := dial(t, b.URL)
	onB.send(map[string]string{"type": "feedback", "id": "f1", "turn": answer.Turn, "value": "down"})
	onB.send(map[string]string{"type": "feedback", "id": "f2", "turn": newTurnID(), "value": "down"})
	if m := onB.read(); m["code"] != "unknown_turn" || m["id"] != "f2" {
		t.Errorf("feedback on B for a turn no replica logged: %v; want unknown_turn for f2 alone", m)
	}
	mustFlushLog(t, b)
	disliked, err := a.Log.Disliked(context.Background(), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(disliked) != 1 || !strings.Contains(disliked[0].Question, "PDG") {
		t.Errorf("A's disliked turns after a rating given through B: %+v; want the PDG question", disliked)
	}
}
