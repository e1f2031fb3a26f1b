package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// The seed corpus answers attachWording first with another passage than
// attachTarget (Mensch kept his firm independent), and attachUnknown not at
// all (no word of it is in the corpus), until staff attach them.
const (
	attachWording = "Pourquoi rester indépendant des Américains ?"
	attachUnknown = "Pourquoi pas chez Tim Cook ?"
	attachTarget  = "mistral-ai#p3"
)

// send makes a console request with an optional JSON body and cookie.
func (f *staffFixture) send(tb testing.TB, method, path, contentType, body string, c *http.Cookie) (int, string) {
	tb.Helper()
	req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c != nil {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// reloadAttached serves a new snapshot of the seed corpus with the stored
// attachments applied, as serve does when their stamp changes.
func (f *staffFixture) reloadAttached(tb testing.TB) *index.Index {
	tb.Helper()
	list, err := f.Log.Attachments(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Open(index.Options{Attached: Attached(list)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	f.Staff.current.Store(&Snapshot{Index: ix, Engine: chat.New(ix, chat.Options{}), Version: ix.Stats().Version})
	return ix
}

// firstCitation asks q through the API and returns its first citation's id.
func firstCitation(t *testing.T, base, q string) string {
	t.Helper()
	_, body := post(t, base+"/api/ask", "", `{"q":`+jsonString(q)+`}`)
	var a chat.Answer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("POST /api/ask %q: %v (%s)", q, err, body)
	}
	if len(a.Citations) == 0 {
		return ""
	}
	return a.Citations[0].ID
}

// TestStaffAttachmentsAPI checks the console's routes for attached
// phrasings: none without a session; attached to a passage of the corpus
// served (not to an unknown one, nor a team answer, nor with no phrasing,
// nor sent as a form), listed, and deleted once.
func TestStaffAttachmentsAPI(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	body := `{"passage":"` + attachTarget + `","phrasings":["` + attachWording + `"]}`
	for _, r := range []struct{ method, path string }{{"GET", "/staff/api/attachments"}, {"POST", "/staff/api/attachments"}, {"DELETE", "/staff/api/attachments/1"}} {
		if code, _ := f.send(t, r.method, r.path, "application/json", body, nil); code != http.StatusUnauthorized {
			t.Errorf("%s %s without a session: %d; want 401", r.method, r.path, code)
		}
	}
	code, got := f.send(t, "POST", "/staff/api/attachments", "application/json", body, c)
	var added struct{ Attached []store.Attachment }
	json.Unmarshal([]byte(got), &added)
	if code != http.StatusCreated || len(added.Attached) != 1 || added.Attached[0].Passage != attachTarget ||
		added.Attached[0].Fingerprint == "" || added.Attached[0].CreatedBy == "" || !strings.HasPrefix(added.Attached[0].Excerpt, "Le PDG") {
		t.Fatalf("POST: %d %s; want 201 with the attachment, its fingerprint, excerpt and author", code, got)
	}
	for _, bad := range []struct {
		contentType, body, want string
		code                    int
	}{
		{"application/json", `{"passage":"mistral-ai#p9999","phrasings":["Q ?"]}`, "n’existe pas", http.StatusNotFound},
		{"application/json", `{"passage":"` + attachTarget + `","phrasings":[" "]}`, "vide", http.StatusBadRequest},
		{"application/json", `{"passage":"` + attachTarget + `","phrasings":[]}`, "Aucune formulation", http.StatusBadRequest},
		{"application/x-www-form-urlencoded", body, "JSON", http.StatusUnsupportedMediaType},
		{"application/json", `{"passage":`, "JSON", http.StatusBadRequest},
	} {
		if code, got := f.send(t, "POST", "/staff/api/attachments", bad.contentType, bad.body, c); code != bad.code || !strings.Contains(got, bad.want) {
			t.Errorf("POST %s %s: %d %s; want %d and %q", bad.contentType, bad.body, code, got, bad.code, bad.want)
		}
	}
	_, list := f.get(t, "/staff/api/attachments", c)
	if strings.Count(list, `"phrasing"`) != 1 || !strings.Contains(list, `"state":"pending"`) {
		t.Errorf("GET before a reload: %s; want the one attachment, pending", list)
	}
	id := "/staff/api/attachments/" + itoa64(added.Attached[0].ID)
	if code, _ := f.send(t, "DELETE", id, "", "", c); code != http.StatusNoContent {
		t.Errorf("DELETE: %d; want 204", code)
	}
	if code, got := f.send(t, "DELETE", id, "", "", c); code != http.StatusNotFound || !strings.Contains(got, "n’existe pas") {
		t.Errorf("DELETE again: %d %s; want 404", code, got)
	}
}

// TestAttachedPhrasingAnswered checks the loop: a group of the unanswered
// view attached to a passage leaves the view, counted; once the index
// reloads, the passage is the first citation of the answer to that wording,
// shows the phrasing on its page, and the console lists it attached; an
// attachment whose passage is gone is listed as an orphan.
func TestAttachedPhrasingAnswered(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	for _, w := range []string{attachWording, attachUnknown} {
		if got := firstCitation(t, f.URL, w); got == attachTarget {
			t.Fatalf("%q already cites %s first: the test needs a wording that does not", w, attachTarget)
		}
	}
	f.Log.Record(store.Turn{Question: attachWording, Kind: "no_answer", Confidence: 0.05})
	mustFlushLog(t, f)
	body := `{"passage":"` + attachTarget + `","phrasings":["` + attachWording + `","` + attachUnknown + `"]}`
	if code, got := f.send(t, "POST", "/staff/api/attachments", "application/json", body, c); code != http.StatusCreated {
		t.Fatalf("POST: %d %s", code, got)
	}
	// Both groups leave the view: the one recorded, and attachUnknown's,
	// which the chat left without an answer above.
	mustFlushLog(t, f)
	if _, got := f.get(t, "/staff/api/log/unanswered", c); !strings.Contains(got, `"answered":2`) || !strings.Contains(got, `"groups":[]`) {
		t.Errorf("unanswered view after attaching: %s; want both groups gone and counted", got)
	}
	if _, err := f.Log.Attach(context.Background(), []store.Attachment{{Phrasing: "Une question d’avant ?", Passage: "mistral-ai#p2",
		Doc: "mistral-ai", Fingerprint: index.Fingerprint("Un paragraphe réécrit depuis."), Excerpt: "Un paragraphe réécrit depuis."}}, "test"); err != nil {
		t.Fatal(err)
	}
	f.reloadAttached(t)
	for _, w := range []string{attachWording, attachUnknown} {
		if got := firstCitation(t, f.URL, w); got != attachTarget {
			t.Errorf("after the reload, %q cites %q first; want %s", w, got, attachTarget)
		}
	}
	// Visitors' wordings stay in the console: the public search shows the
	// passage without them.
	if _, body := get(t, f.URL+"/api/search?q="+url.QueryEscape(attachWording), nil); !strings.Contains(body, attachTarget) ||
		strings.Contains(body, "attached") || strings.Contains(body, attachUnknown) {
		t.Errorf("GET /api/search shows the attached phrasings: %s", body)
	}
	_, list := f.get(t, "/staff/api/attachments", c)
	var res struct {
		Attachments []attachmentView
		Orphans     int
	}
	json.Unmarshal([]byte(list), &res)
	if len(res.Attachments) != 3 || res.Attachments[0].State != attachedFound || res.Attachments[0].At != attachTarget ||
		res.Attachments[2].State != attachedOrphan || res.Orphans != 1 {
		t.Errorf("GET after the reload: %s; want the first attached at %s, the second orphaned", list, attachTarget)
	}
	_, page := f.get(t, "/p/"+url.PathEscape(attachTarget), c)
	if !strings.Contains(page, "Formulations rattachées") || !strings.Contains(page, "<q>"+attachWording+"</q>") || !strings.Contains(page, bootstrapAccount) {
		t.Errorf("/p/%s does not show the attached phrasing with its author", attachTarget)
	}
}
