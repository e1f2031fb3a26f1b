package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/web/store"
)

// TestStaffEntriesAPI checks the console's API for the team's answers: an
// entry added, listed, edited (version 2), refused without its answer, with
// a link that is not http(s), or not sent as JSON, and deleted; none of it
// without a session.
func TestStaffEntriesAPI(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	send := func(method, path, contentType, body string, cookie *http.Cookie) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const entry = `{"question":"Où garer son vélo ?","alternates":["parking vélo"," "],"answer":"Devant la mairie.","link":"https://mairie.example.fr/velo","enabled":true}`
	if code, _ := send("POST", "/staff/api/entries", "application/json", entry, nil); code != http.StatusUnauthorized {
		t.Errorf("POST without a session: %d; want 401", code)
	}
	code, body := send("POST", "/staff/api/entries", "application/json", entry, c)
	var saved struct {
		ID         int64    `json:"id"`
		Version    int      `json:"version"`
		Alternates []string `json:"alternates"`
		CreatedBy  string   `json:"created_by"`
	}
	json.Unmarshal([]byte(body), &saved)
	if code != http.StatusCreated || saved.ID == 0 || len(saved.Alternates) != 1 || saved.CreatedBy == "" {
		t.Fatalf("POST: %d %s; want 201 with the entry", code, body)
	}
	id := "/staff/api/entries/" + itoa64(saved.ID)
	if code, body := send("PUT", id, "application/json", strings.Replace(entry, "Devant la mairie.", "À la gare.", 1), c); code != http.StatusOK || !strings.Contains(body, `"version":2`) {
		t.Errorf("PUT: %d %s; want 200, version 2", code, body)
	}
	// A change made on version 1, replaced meanwhile: refused, said why.
	if code, body := send("PUT", id, "application/json", strings.Replace(entry, `"enabled":true`, `"enabled":true,"version":1`, 1), c); code != http.StatusConflict || !strings.Contains(body, "modifiée entre-temps") {
		t.Errorf("PUT on a stale version: %d %s; want 409", code, body)
	}
	for _, bad := range []struct {
		contentType, body, want string
		code                    int
	}{
		{"application/json", `{"question":"Sans réponse ?","answer":" "}`, "La réponse manque.", http.StatusBadRequest},
		{"application/json", `{"question":"Q ?","answer":"R.","link":"javascript:alert(1)"}`, "http(s)", http.StatusBadRequest},
		{"application/x-www-form-urlencoded", entry, "JSON", http.StatusUnsupportedMediaType},
		{"application/json", `{"question":`, "JSON", http.StatusBadRequest},
	} {
		if code, body := send("POST", "/staff/api/entries", bad.contentType, bad.body, c); code != bad.code || !strings.Contains(body, bad.want) {
			t.Errorf("POST %s %s: %d %s; want %d and %q", bad.contentType, bad.body, code, body, bad.code, bad.want)
		}
	}
	_, list := f.get(t, "/staff/api/entries", c)
	if !strings.Contains(list, "À la gare.") || strings.Count(list, `"id"`) != 1 {
		t.Errorf("GET: %s; want the one entry, edited", list)
	}
	if code, _ := send("DELETE", id, "", "", c); code != http.StatusNoContent {
		t.Errorf("DELETE: %d; want 204", code)
	}
	if code, _ := send("DELETE", id, "", "", c); code != http.StatusNotFound {
		t.Errorf("DELETE again: %d; want 404", code)
	}
	if code, _ := send("PUT", "/staff/api/entries/abc", "application/json", entry, c); code != http.StatusNotFound {
		t.Errorf("PUT on a bad id: %d; want 404", code)
	}
	if code, _ := send("DELETE", "/staff/api/entries/abc", "", "", c); code != http.StatusNotFound {
		t.Errorf("DELETE on a bad id: %d; want 404", code)
	}
	// An entry with no other phrasing lists them as [], never null: the
	// console reads their length.
	if code, body := send("POST", "/staff/api/entries", "application/json", `{"question":"Où est la mairie ?","answer":"Place du marché.","enabled":true}`, c); code != http.StatusCreated || !strings.Contains(body, `"alternates":[]`) {
		t.Errorf("POST without alternates: %d %s; want 201 with \"alternates\":[]", code, body)
	}
	if _, body := send("GET", "/staff/api/entries", "", "", c); strings.Contains(body, `"alternates":null`) || strings.Contains(body, `"passages":null`) {
		t.Errorf("GET lists null lists: %s", body)
	}
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestTurnKeepsAnswerAndPrevious checks that the log keeps with each turn
// the answer given and, for a follow-up on the same socket, the question
// before it: « Pouces baissés » shows what was rated, « Et … ? » what it
// follows.
func TestTurnKeepsAnswerAndPrevious(t *testing.T) {
	f := newStaffFixture(t, "")
	c, _ := dial(t, f.URL)
	c.send(map[string]any{"type": "ask", "id": "1", "text": "Qui est le PDG de Mistral ?"})
	first := c.read()
	c.send(map[string]any{"type": "ask", "id": "2", "text": "Et quand a-t-elle été fondée ?", "context": first["context"]})
	c.read()
	c.send(map[string]any{"type": "ask", "id": "3", "text": "Bonjour"}) // no context: a new conversation
	c.read()
	mustFlushLog(t, f)
	turns, err := f.Log.Recent(context.Background(), time.Now().Add(-time.Hour), 10)
	if err != nil || len(turns) != 3 {
		t.Fatalf("turns %+v, %v; want 3", turns, err)
	}
	byQ := map[string]store.Turn{}
	for _, tr := range turns {
		byQ[tr.Question] = tr
	}
	if tr := byQ["Qui est le PDG de Mistral ?"]; !strings.Contains(tr.Answer, "Arthur Mensch") || tr.Previous != "" {
		t.Errorf("first turn answer %q, previous %q; want the answer given and nothing before", tr.Answer, tr.Previous)
	}
	if tr := byQ["Et quand a-t-elle été fondée ?"]; tr.Previous != "Qui est le PDG de Mistral ?" || tr.Answer == "" {
		t.Errorf("follow-up previous %q, answer %q; want the question before it", tr.Previous, tr.Answer)
	}
	if tr := byQ["Bonjour"]; tr.Previous != "" {
		t.Errorf("a question without context has previous %q", tr.Previous)
	}
}

func mustFlushLog(t *testing.T, f *staffFixture) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.Log.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestDisabledEntryAnswersNobody checks that a disabled entry does not take
// its question out of the unanswered view: visitors get nothing from it.
func TestDisabledEntryAnswersNobody(t *testing.T) {
	f := newStaffFixture(t, "")
	f.Log.Record(store.Turn{Question: "Quand ouvre la piscine ?", Kind: "no_answer", Confidence: 0.05})
	mustFlushLog(t, f)
	ctx := context.Background()
	e, err := f.Log.SaveEntry(ctx, store.Entry{Question: "Quand ouvre la piscine ?", Answer: "À 9 h.", Enabled: false}, "test")
	if err != nil {
		t.Fatal(err)
	}
	c := f.session(t)
	_, body := f.get(t, "/staff/api/log/unanswered", c)
	if !strings.Contains(body, `"answered":0`) || !strings.Contains(body, "Quand ouvre la piscine ?") {
		t.Errorf("with a disabled entry: %s; want the question still unanswered", body)
	}
	e.Enabled = true
	if _, err := f.Log.SaveEntry(ctx, e, "test"); err != nil {
		t.Fatal(err)
	}
	_, body = f.get(t, "/staff/api/log/unanswered", c)
	if !strings.Contains(body, `"answered":1`) || strings.Contains(body, "Quand ouvre la piscine ?") {
		t.Errorf("with the entry enabled: %s; want the group gone and counted", body)
	}
}
