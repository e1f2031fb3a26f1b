package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/causette/causette/web/store"
)

// TestStaffSuggestions checks the suggestions: the unsure answers' wordings
// (low confidence or rated down, asked twice or more) are proposed as
// phrasings of the passage they cited, the sure ones and a one-off are not;
// a rejected suggestion is never proposed again, an accepted one (attached)
// neither; none of it without a session.
func TestStaffSuggestions(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	const other = "mistral-ai#p2" // the founding, cited surely below
	for _, tr := range []store.Turn{
		{Question: attachUnknown, Kind: "answer", Confidence: 0.3, Passage: attachTarget},
		{Question: "pourquoi pas chez tim cook", Kind: "answer", Confidence: 0.35, Passage: attachTarget},
		{Question: "Pourquoi ne pas vendre à Apple ?", Kind: "answer", Confidence: 0.9, Passage: attachTarget, Feedback: "down"},
		{Question: "Qui a fondé Mistral ?", Kind: "answer", Confidence: 0.9, Passage: other},
		{Question: "Qui a fondé Mistral ?", Kind: "answer", Confidence: 0.9, Passage: other},
		{Question: "Combien de fondateurs ?", Kind: "answer", Confidence: 0.3, Passage: other},
	} {
		f.Log.Record(tr)
	}
	mustFlushLog(t, f)
	if code, _ := f.send(t, "GET", "/staff/api/suggestions", "", "", nil); code != http.StatusUnauthorized {
		t.Errorf("GET without a session: %d; want 401", code)
	}
	if code, _ := f.send(t, "POST", "/staff/api/suggestions/reject", "application/json", `{}`, nil); code != http.StatusUnauthorized {
		t.Errorf("POST reject without a session: %d; want 401", code)
	}
	list := func() []suggestion {
		t.Helper()
		code, body := f.send(t, "GET", "/staff/api/suggestions", "", "", c)
		var res struct{ Suggestions []suggestion }
		if err := json.Unmarshal([]byte(body), &res); code != http.StatusOK || err != nil {
			t.Fatalf("GET /staff/api/suggestions: %d %s", code, body)
		}
		return res.Suggestions
	}
	wordings := func(s suggestion) string {
		var ws []string
		for _, w := range s.Wordings {
			ws = append(ws, w.Text)
		}
		return strings.Join(ws, "|")
	}
	got := list()
	if len(got) != 1 || got[0].Passage != attachTarget || got[0].Count != 3 || got[0].Down != 1 ||
		!strings.Contains(wordings(got[0]), attachUnknown) || !strings.Contains(wordings(got[0]), "vendre à Apple") {
		t.Fatalf("suggestions %+v; want one for %s with its three unsure questions, one rated down", got, attachTarget)
	}
	// Accept one wording (an attachment), reject another: both leave.
	if code, body := f.send(t, "POST", "/staff/api/attachments", "application/json",
		`{"passage":"`+attachTarget+`","phrasings":["`+attachUnknown+`"]}`, c); code != http.StatusCreated {
		t.Fatalf("accept: %d %s", code, body)
	}
	if code, body := f.send(t, "POST", "/staff/api/suggestions/reject", "application/json",
		`{"passage":"`+attachTarget+`","phrasings":["Pourquoi ne pas vendre à Apple ?"]}`, c); code != http.StatusNoContent {
		t.Fatalf("reject: %d %s", code, body)
	}
	if got := list(); len(got) != 0 {
		t.Errorf("after accepting and rejecting: %+v; want no suggestion", got)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"passage":"mistral-ai#p9999","phrasings":["Q ?"]}`, "n’existe pas"},
		{`{"passage":"` + attachTarget + `","phrasings":[]}`, "formulations"},
	} {
		if code, body := f.send(t, "POST", "/staff/api/suggestions/reject", "application/json", bad.body, c); code < 400 || !strings.Contains(body, bad.want) {
			t.Errorf("reject %s: %d %s; want refused, saying %q", bad.body, code, body, bad.want)
		}
	}
}
