package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// staffContext is how many paragraphs a permalink shows on each side of its
// passage: enough to read it in its document, short enough to stay on it.
const staffContext = 3

// passagePage shows a passage in its document's context, parsed once.
var passagePage = mustParseStaff("passage.html")

// consolePage is the lookup and the log views, parsed once and rendered
// for each session: it names the account and carries its role (data-role),
// by which its script hides what a lecture account may not do.
var consolePage = mustParseStaff("staff.html")

// consoleData fills consolePage.
type consoleData struct {
	Name string // the account signed in
	Role string // lecture or édition
}

// passageData fills passagePage.
type passageData struct {
	Passage index.Passage
	Items   []passageItem // the passage and its neighbours, in order
	Cite    string        // the passage with its citation, for the copy button
	// Attached are the phrasings staff attached to the passage, with who
	// and when (see staff_attachments.go).
	Attached []store.Attachment
	// CanEdit shows the controls that change something (an édition
	// session); the API refuses the others all the same.
	CanEdit bool
}

// passageItem is one paragraph of a permalink page.
type passageItem struct {
	P       index.Passage
	Current bool
	// Heading is the section, shown where it changes.
	Heading string
}

// handleConsole serves the console page (the lookup and the log views).
func (st *Staff) handleConsole(w http.ResponseWriter, r *http.Request) {
	s, _ := staffSession(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	consolePage.Execute(w, consoleData{Name: s.Account, Role: s.Role})
}

// handlePassage serves /p/{id}: the passage among its neighbours.
func (st *Staff) handlePassage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	snap := st.current.Load()
	var p index.Passage
	ok := false
	if snap != nil {
		p, ok = snap.Index.Passage(id)
	}
	if !ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		passagePage.Execute(w, passageData{})
		return
	}
	session, _ := staffSession(r)
	d := passageData{Passage: p, Cite: citeText(p.Text, p), Attached: st.attachedTo(r.Context(), p), CanEdit: session.Role == store.RoleEdit}
	section := "\x00"
	for _, n := range snap.Index.Neighbours(id, staffContext) {
		it := passageItem{P: n, Current: n.ID == p.ID}
		if n.Section != section {
			it.Heading, section = n.Section, n.Section
		}
		d.Items = append(d.Items, it)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	passagePage.Execute(w, d)
}

// citeText is text followed by its source, ready to paste in an email:
// "… (source : Mistral AI, un acteur…, section Les ambitions, §20)".
func citeText(text string, p index.Passage) string {
	src := p.Title
	if p.Section != "" {
		src += ", section " + p.Section
	}
	src += ", §" + strconv.Itoa(p.Paragraph)
	if p.URL != "" {
		src += ", " + p.URL
	}
	return text + " (source : " + src + ")"
}

// attachedTo lists the phrasings attached to p's text (its fingerprint),
// none when the store cannot say.
func (st *Staff) attachedTo(ctx context.Context, p index.Passage) []store.Attachment {
	list, err := st.attachments().Attachments(ctx)
	if err != nil {
		return nil
	}
	fp := index.Fingerprint(p.Text)
	var out []store.Attachment
	for _, a := range list {
		if a.Fingerprint == fp {
			out = append(out, a)
		}
	}
	return out
}
