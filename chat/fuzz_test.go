package chat

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/causette/causette/index"
)

// contextSeeds are payloads to sign and tokens to read: real contexts, the
// tampered ones of the issue, and fields out of bounds.
var contextSeeds = []string{
	`{"t":["annee"],"e":["openai"]}`,
	`{"t":["mont","contrat","sncf"],"e":["sncf"],"p":"mistral-ai#p20"}`,
	`{"t":["pdg","mistral"],"e":["mistral"],"p":"mistral-ai#p3","c":3}`,
	`{"t":["mistral"],"c":99}`,
	`{"t":["mistral"],"c":-1}`,
	`{"t":["mistral"],"x":1}`,
	`{"t":["mistral"],"p":"nowhere#p1"}`,
	`{"t":["a","b","c","d","e","f","g","h","i","j","k","l","m"]}`,
	`{"t":["mis\u2028tral"]}`,
	"eyJ0IjpbIm1pc3RyYWwiXSwiYyI6OTl9",
	"",
	"null",
}

// checkBounds fails t when a context read from token breaks a bound.
func checkBounds(t *testing.T, e *Engine, token string, c convContext) {
	t.Helper()
	if len(token) > maxContextBytes {
		t.Errorf("decodeContext read a token of %d bytes; want at most %d", len(token), maxContextBytes)
	}
	if len(c.Topic) == 0 || len(c.Topic) > maxContextStems || len(c.Entities) > maxContextEntities {
		t.Errorf("decodeContext(%.60q) = %d topic stems and %d entities; want 1 to %d and at most %d",
			token, len(c.Topic), len(c.Entities), maxContextStems, maxContextEntities)
	}
	for _, s := range append(append([]string(nil), c.Topic...), c.Entities...) {
		if s == "" || len(s) > maxStemBytes || !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			t.Errorf("decodeContext(%.60q) holds the stem %q; want 1 to %d bytes of UTF-8 text", token, s, maxStemBytes)
		}
	}
	if _, ok := e.ix.Passage(c.Passage); c.Passage != "" && !ok {
		t.Errorf("decodeContext(%.60q) holds the passage %q; want one the engine knows", token, c.Passage)
	}
	if c.Cue < cueNone || c.Cue > cuePlace {
		t.Errorf("decodeContext(%.60q) holds the cue %d; want %d to %d", token, c.Cue, cueNone, cuePlace)
	}
}

// FuzzDecodeContext: any token, and any payload signed with the engine's
// key, is read without a panic; what is read is within every bound, and
// writing it again gives a token read as the same context.
func FuzzDecodeContext(f *testing.F) {
	e := mustEngine(f)
	for _, s := range contextSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, token := range []string{s, e.seal([]byte(s))} {
			c := e.decodeContext(token)
			if reflect.DeepEqual(c, convContext{}) {
				continue
			}
			checkBounds(t, e, token, c)
			again := e.encodeContext(c)
			if got := e.decodeContext(again); !reflect.DeepEqual(got, c) {
				t.Errorf("decodeContext(encodeContext(%+v)) = %+v; want it unchanged", c, got)
			}
		}
	})
}

// FuzzAsk: any question and context token get an answer or a *Error, never
// a panic; highlights stay inside their citation, and the context handed
// back is one the engine signed and reads. The token is also tried as a
// payload signed with the engine's key, to reach the code that uses it.
func FuzzAsk(f *testing.F) {
	e := mustEngine(f)
	for _, q := range []string{"Qui est le PDG ?", "Et Google AI ?", "", "?!", "l'", "ʼʼʼ", "Et celui de", "combien"} {
		f.Add(q, "")
	}
	f.Add("Et Google AI ?", "eyJ0IjpbImFubmVlIl0sImUiOlsib3BlbmFpIl19")
	for _, q := range []string{"Et lui ?", "Et combien ?", "Bonjour", "Quelle heure est-il ?"} {
		for _, s := range contextSeeds {
			f.Add(q, s)
		}
	}
	f.Fuzz(func(t *testing.T, q, token string) {
		for _, context := range []string{token, e.seal([]byte(token))} {
			a, err := e.Ask(q, context)
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
			if a.Context != "" && reflect.DeepEqual(e.decodeContext(a.Context), convContext{}) {
				t.Fatalf("Ask(%q, %.60q) hands back the context %.60q, which it does not read", q, context, a.Context)
			}
		}
	})
}

// TestEncodeContextBounds: the largest context fits in a token and reads
// back whole; what breaks a bound is left out of the token, never makes it
// one decodeContext refuses.
func TestEncodeContextBounds(t *testing.T) {
	e := mustEngine(t)
	long := strings.Repeat("é", maxStemBytes/2)
	many := func(s string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	full := convContext{Topic: many(long, maxContextStems), Entities: many(long, maxContextEntities), Passage: "mistral-ai#p20", Cue: cuePlace}
	tests := []struct {
		name string
		in   convContext
		want convContext
	}{
		{"every bound reached", full, full},
		{"too many stems", convContext{Topic: many("mistral", 2*maxContextStems), Entities: many("sncf", 2*maxContextEntities)},
			convContext{Topic: many("mistral", maxContextStems), Entities: many("sncf", maxContextEntities)}},
		{"stems out of bounds", convContext{Topic: []string{"", "mistral", long + "a", "mis\ntral"}, Entities: []string{"\xff"}},
			convContext{Topic: []string{"mistral"}}},
		{"unknown passage", convContext{Topic: []string{"mistral"}, Passage: "nowhere#p1"}, convContext{Topic: []string{"mistral"}}},
		{"undefined cue", convContext{Topic: []string{"mistral"}, Cue: 99}, convContext{Topic: []string{"mistral"}}},
		{"no topic", convContext{Entities: []string{"mistral"}, Passage: "mistral-ai#p20"}, convContext{}},
		{"escaped beyond the size", convContext{Topic: many(strings.Repeat("<", maxStemBytes), maxContextStems)}, convContext{}},
	}
	for _, tt := range tests {
		token := e.encodeContext(tt.in)
		if len(token) > maxContextBytes {
			t.Errorf("encodeContext(%s) = %d bytes; want at most %d", tt.name, len(token), maxContextBytes)
		}
		if got := e.decodeContext(token); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("decodeContext(encodeContext(%s)) = %+v; want %+v", tt.name, got, tt.want)
		}
	}
	b, _ := json.Marshal(full)
	t.Logf("the largest context: %d bytes of JSON, a token of %d bytes", len(b), len(e.encodeContext(full)))
}

// FuzzShortAnswer feeds the short-answer finder any passage text and any
// question: it never panics, and what it returns stands at its offsets.
func FuzzShortAnswer(f *testing.F) {
	f.Add("Qui est le PDG ?", "Le PDG Arthur Mensch incarne la dynamique.")
	f.Add("Combien ?", "Il y a 73 000 fournisseurs, 1,7 milliard d’euros et l’an 2023.")
	f.Add("Quand ?", "Né le 1er mai 1707 à l'aube ; d'après « lui », c'est l'été.")
	f.Add("Où ?", "\u00a0\u202f' ’ - — 12,5 km — Saint-Étienne-du-Rouvray")
	e := mustEngine(f)
	f.Fuzz(func(t *testing.T, q, text string) {
		if !utf8.ValidString(q) || !utf8.ValidString(text) || strings.TrimSpace(text) == "" {
			return
		}
		p := index.Passage{ID: "fuzz#p1", Doc: "fuzz", Kind: index.KindParagraph, Text: text}
		tr := e.understand(q, convContext{})
		short, at := e.shortAnswer(tr, &p, [2]int{0, len(text)}, e.ix.Expand(tr.stems))
		if short == "" {
			if at != nil {
				t.Fatalf("no short answer but offsets %v", at)
			}
			return
		}
		r := []rune(text)
		if len(at) != 2 || at[0] < 0 || at[1] > len(r) || at[0] >= at[1] || string(r[at[0]:at[1]]) != short {
			t.Fatalf("short %q at %v in %q", short, at, text)
		}
	})
}
