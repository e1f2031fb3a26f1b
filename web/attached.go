package web

import (
	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// Attached makes the phrasings staff attached to corpus passages what the
// index applies (index.Options.Attached): those of one passage, by its
// text's fingerprint, together.
func Attached(list []store.Attachment) []index.Attachment {
	var out []index.Attachment
	at := map[string]int{}
	for _, a := range list {
		i, ok := at[a.Fingerprint]
		if !ok {
			i = len(out)
			at[a.Fingerprint] = i
			out = append(out, index.Attachment{Fingerprint: a.Fingerprint})
		}
		out[i].Phrasings = append(out[i].Phrasings, a.Phrasing)
	}
	return out
}
