package web

import (
	"fmt"
	"net/url"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// TeamDoc is the id of the document that holds the team's answers: no
// corpus file can have it (a file's id has no « _ »).
const TeamDoc = "_equipe"

// TeamTitle is how the team's answers are cited.
const TeamTitle = "Réponse de l'équipe"

// TeamDocument makes the enabled entries a document served beside the
// corpus: each an FAQ entry, found by its question and its other phrasings,
// cited as « Réponse de l'équipe » with its link. Passage ids come from the
// entries' ids, so an edit keeps them. nil when no entry is enabled.
func TeamDocument(entries []store.Entry) *index.Document {
	d := &index.Document{Slug: TeamDoc, Title: TeamTitle}
	for _, e := range entries {
		if !e.Enabled {
			continue
		}
		p := index.Passage{ID: fmt.Sprintf("%s#e%d", TeamDoc, e.ID), Doc: TeamDoc, Title: TeamTitle,
			Paragraph: int(e.ID), Kind: index.KindFAQ, Question: e.Question, Alternates: e.Alternates, Text: e.Answer}
		if u, err := url.Parse(e.Link); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil {
			p.URL = u.String()
		}
		d.Passages = append(d.Passages, p)
	}
	if len(d.Passages) == 0 {
		return nil
	}
	return d
}
