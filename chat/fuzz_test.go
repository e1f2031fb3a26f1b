package chat

import (
	"testing"
	"unicode/utf8"
)

// FuzzAsk: any question and context token get an answer or a *Error, never
// a panic, and highlights stay inside their citation.
func FuzzAsk(f *testing.F) {
	e := mustEngine(f)
	for _, q := range []string{"Qui est le PDG ?", "Et Google AI ?", "", "?!", "l'", "ʼʼʼ", "Et celui de", "combien"} {
		f.Add(q, "")
	}
	f.Add("Et Google AI ?", "eyJ0IjpbImFubmVlIl0sImUiOlsib3BlbmFpIl19")
	f.Fuzz(func(t *testing.T, q, token string) {
		a, err := e.Ask(q, token)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Ask(%q) error %v is not a *Error", q, err)
			}
			return
		}
		for _, c := range a.Citations {
			n := utf8.RuneCountInString(c.Text)
			for _, h := range c.Highlights {
				if h[0] < 0 || h[1] > n || h[0] >= h[1] {
					t.Fatalf("Ask(%q) highlight %v outside %d runes", q, h, n)
				}
			}
		}
	})
}
