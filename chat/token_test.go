package chat

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/causette/causette/index"
)

// Questions the token tests ask: a first turn, and a follow-up answered with
// followWant only in its light (alone, it gets the whole row of the table,
// where the amount is written "Montant estimé").
const (
	firstTurn  = "Quel est le montant du contrat avec la SNCF ?"
	followUp   = "Et pour le ministère de la Défense ?"
	followWant = "Défense, montant estimé : 50 millions"
)

// signed is the token of a payload signed with e's key, as if e had written it.
func signed(e *Engine, payload string) string { return e.seal([]byte(payload)) }

// unsigned is a payload in base64 with no MAC, as tokens were before signing.
func unsigned(payload string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(payload))
}

// mustToken is the context of the answer to q with no context.
func mustToken(tb testing.TB, e *Engine, q string) string {
	tb.Helper()
	a, err := e.Ask(q, "")
	if err != nil || a.Context == "" {
		tb.Fatalf("Ask(%q) = %+v, %v; want a context token", q, a, err)
	}
	return a.Context
}

// askAlone asks q with token and checks it is answered as with no context.
func askAlone(t *testing.T, e *Engine, name, q, token string) {
	t.Helper()
	alone, err := e.Ask(q, "")
	if err != nil {
		t.Fatalf("Ask(%q) with no context: %v", q, err)
	}
	var got Answer
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Ask(%q) with the context %s (%.60q) panics: %v", q, name, token, r)
			}
		}()
		got, err = e.Ask(q, token)
	}()
	if err != nil || !reflect.DeepEqual(got, alone) {
		t.Errorf("Ask(%q) with the context %s (%.60q) = %s %.60q (context %.40q), %v; want %s %.60q (context %.40q) as with no context",
			q, name, token, got.Kind, got.Answer, got.Context, err, alone.Kind, alone.Answer, alone.Context)
	}
}

// TestAskTamperedCue: a context whose cue is not one the engine defines
// (the token of the issue, cue 99 and -1) is no context, never a panic,
// whether it comes unsigned or signed with the engine's own key.
func TestAskTamperedCue(t *testing.T) {
	e := mustEngine(t)
	tests := []struct{ name, token string }{
		{"of the issue", "eyJ0IjpbIm1pc3RyYWwiXSwiYyI6OTl9"},
		{"cue 99", unsigned(`{"t":["mistral"],"c":99}`)},
		{"cue -1", unsigned(`{"t":["mistral"],"c":-1}`)},
		{"signed cue 99", signed(e, `{"t":["mistral"],"c":99}`)},
		{"signed cue -1", signed(e, `{"t":["mistral"],"c":-1}`)},
		{"signed cue 5", signed(e, `{"t":["mistral"],"c":5}`)},
	}
	for _, tt := range tests {
		for _, q := range []string{"Et lui ?", "Et combien ?", followUp} {
			askAlone(t, e, tt.name, q, tt.token)
		}
	}
}

// tamperedTokens derives from a real token every way a visitor can damage
// or forge it: each byte flipped, each character changed, truncations,
// extensions, the payload signed with another key or not at all, and
// payloads signed with e's key that break a bound.
func tamperedTokens(e *Engine, real string) []struct{ name, token string } {
	var out []struct{ name, token string }
	add := func(name, token string) {
		if token != real { // standard base64 may write the same characters
			out = append(out, struct{ name, token string }{name, token})
		}
	}
	raw, err := base64.RawURLEncoding.DecodeString(real)
	if err != nil {
		panic(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	for i := range raw {
		flipped := append([]byte(nil), raw...)
		flipped[i] ^= 0x01
		add(fmt.Sprintf("byte %d flipped", i), b64(flipped))
		flipped[i] ^= 0xff
		add(fmt.Sprintf("byte %d inverted", i), b64(flipped))
	}
	for i := range real {
		c := byte('A')
		if real[i] == 'A' {
			c = 'B'
		}
		add(fmt.Sprintf("character %d changed", i), real[:i]+string(c)+real[i+1:])
	}
	for n := range len(real) {
		add(fmt.Sprintf("cut to %d characters", n), real[:n])
	}
	for n := range macBytes {
		add(fmt.Sprintf("MAC cut to %d bytes", n), b64(raw[:len(raw)-macBytes+n]))
	}
	payload := string(raw[:len(raw)-macBytes])
	other := New(e.ix, Options{Secret: []byte("another replica's key, not ours")})
	for _, tt := range []struct{ name, token string }{
		{"extended by a character", real + "A"},
		{"extended by a block", real + "AAAA"},
		{"extended by a byte", b64(append(raw, 0))},
		{"padded", real + "="},
		{"standard base64", base64.StdEncoding.EncodeToString(raw)},
		{"with a space", " " + real},
		{"doubled", real + real},
		{"signed with another key", other.seal([]byte(payload))},
		{"the JSON with no MAC", unsigned(payload)},
		{"the JSON in clear", payload},
		{"the MAC alone", b64(raw[len(raw)-macBytes:])},
		{"oversized", strings.Repeat("A", maxContextBytes+1)},
		{"15 KB", strings.Repeat(real, 15<<10/len(real))},
		{"signed unknown field", signed(e, `{"t":["mistral"],"x":1}`)},
		{"signed trailing data", signed(e, payload+`{}`)},
		{"signed another spelling", signed(e, strings.Replace(payload, `"t":`, `"T":`, 1))},
		{"signed with spaces", signed(e, strings.Replace(payload, `:`, `: `, 1))},
		{"signed not JSON", signed(e, `not json`)},
		{"signed empty", signed(e, ``)},
		{"signed null", signed(e, `null`)},
		{"signed huge topic", signed(e, `{"t":[`+strings.Repeat(`"mistral",`, maxContextStems)+`"mistral"]}`)},
		{"signed huge entities", signed(e, `{"t":["mistral"],"e":[`+strings.Repeat(`"mistral",`, maxContextEntities)+`"mistral"]}`)},
		{"signed long stem", signed(e, `{"t":["`+strings.Repeat("a", maxStemBytes+1)+`"]}`)},
		{"signed empty stem", signed(e, `{"t":["mistral",""]}`)},
		{"signed control character", signed(e, `{"t":["mis\ntral"]}`)},
		{"signed NUL", signed(e, `{"t":["mis\u0000tral"]}`)},
		{"signed invalid UTF-8", signed(e, "{\"t\":[\"mis\xfftral\"]}")},
		{"signed stem not a string", signed(e, `{"t":[1]}`)},
		{"signed cue not a number", signed(e, `{"t":["mistral"],"c":"date"}`)},
		{"signed cue fraction", signed(e, `{"t":["mistral"],"c":1.5}`)},
		{"signed passage not an id", signed(e, `{"t":["mistral"],"p":"../../etc/passwd"}`)},
		{"signed passage too long", signed(e, `{"t":["mistral"],"p":"`+strings.Repeat("a", maxPassageBytes)+`#p1"}`)},
		{"signed no topic", signed(e, `{"e":["mistral"],"p":"mistral-ai#p3","c":3}`)},
	} {
		add(tt.name, tt.token)
	}
	return out
}

// TestDecodeContextTampered: no damaged, forged or oversized token is read
// as a context, and none changes the answer to a follow-up.
func TestDecodeContextTampered(t *testing.T) {
	e := mustEngine(t)
	real := mustToken(t, e, firstTurn)
	if c := e.decodeContext(real); len(c.Topic) == 0 {
		t.Fatalf("decodeContext(%q) = %+v; want the context of %q", real, c, firstTurn)
	}
	for _, tt := range tamperedTokens(e, real) {
		if c := e.decodeContext(tt.token); !reflect.DeepEqual(c, convContext{}) {
			t.Errorf("decodeContext(%s: %.60q) = %+v; want no context", tt.name, tt.token, c)
		}
		askAlone(t, e, tt.name, followUp, tt.token)
	}
}

// TestForgedContextIgnored: a token the engine did not sign changes nothing,
// even one carrying the context of a real conversation.
func TestForgedContextIgnored(t *testing.T) {
	e := mustEngine(t)
	real := mustToken(t, e, firstTurn)
	a, err := e.Ask(followUp, real)
	if err != nil || !strings.Contains(a.Answer, followWant) {
		t.Fatalf("Ask(%q after %q) = %q, %v; want %q", followUp, firstTurn, a.Answer, err, followWant)
	}
	payload, err := json.Marshal(e.decodeContext(real))
	if err != nil {
		t.Fatal(err)
	}
	forger := New(e.ix, Options{Secret: []byte("a key guessed by a visitor")})
	forged := forger.seal(payload)
	askAlone(t, e, "forged", followUp, forged)
}

// TestContextReplicas: engines built with one Secret take each other's
// tokens, as replicas behind a load balancer must; engines with different
// secrets, or none (a random key each), do not.
func TestContextReplicas(t *testing.T) {
	ix, glossary := mustIndex(t)
	shared := []byte("the secret all replicas are given")
	first := New(ix, Options{Glossary: glossary, Secret: shared})
	alone, err := first.Ask(followUp, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		a, b   Options
		accept bool
	}{
		{"same secret", Options{Secret: shared}, Options{Secret: shared}, true},
		{"same secret, copied", Options{Secret: shared}, Options{Secret: []byte(string(shared))}, true},
		{"different secrets", Options{Secret: shared}, Options{Secret: []byte("the secret of another site")}, false},
		{"no secret", Options{}, Options{}, false},
		{"one with no secret", Options{Secret: shared}, Options{}, false},
	}
	for _, tt := range tests {
		tt.a.Glossary, tt.b.Glossary = glossary, glossary
		a, b := New(ix, tt.a), New(ix, tt.b)
		token := mustToken(t, a, firstTurn)
		got, err := b.Ask(followUp, token)
		if err != nil {
			t.Fatalf("%s: Ask(%q): %v", tt.name, followUp, err)
		}
		if accepted := strings.Contains(got.Answer, followWant); accepted != tt.accept {
			t.Errorf("%s: Ask(%q) on b with a's token = %.60q; want %q in it: %v (alone: %.60q)",
				tt.name, followUp, got.Answer, followWant, tt.accept, alone.Answer)
		}
	}
}

// TestContextNotEchoed: small talk and no_answer hand back the context they
// were given only once checked: a valid one as it was, a large or damaged
// one as none.
func TestContextNotEchoed(t *testing.T) {
	e := mustEngine(t)
	real := mustToken(t, e, firstTurn)
	huge := strings.Repeat(real, 15<<10/len(real))
	tests := []struct {
		q, kind string
	}{
		{"Bonjour", KindSmalltalk},
		{"Merci, au revoir !", KindSmalltalk},
		{"Quelle heure est-il ?", KindNoAnswer},
		{"Quelle est la recette de la tarte aux pommes ?", KindNoAnswer},
		{"Quelle est la capitale de l'Australie ?", KindNoAnswer},
	}
	for _, tt := range tests {
		for _, in := range []struct{ name, token, want string }{
			{"15 KB", huge, ""},
			{"unsigned", unsigned(`{"t":["mistral"]}`), ""},
			{"valid", real, real},
		} {
			a, err := e.Ask(tt.q, in.token)
			if err != nil || a.Kind != tt.kind {
				t.Errorf("Ask(%q) with the %s context = %s, %v; want %s", tt.q, in.name, a.Kind, err, tt.kind)
				continue
			}
			if a.Context != in.want {
				t.Errorf("Ask(%q) with the %s context (%d bytes) hands back %d bytes %.40q; want %.40q",
					tt.q, in.name, len(in.token), len(a.Context), a.Context, in.want)
			}
		}
	}
}

func TestContextKeepsTopicWithALongDocumentName(t *testing.T) {
	name := strings.Repeat("demarche-administrative-", 5) + "carte.txt" // a 104-byte passage id and more
	c, err := index.Load(fstest.MapFS{name: {Data: []byte("La carte\n\nLa carte de séjour se demande en préfecture avec un justificatif de domicile.\n")}}, ".")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := New(ix, Options{Secret: testSecret})
	a, err := e.Ask("Où demander la carte de séjour ?", "")
	if err != nil || a.Kind != KindAnswer {
		t.Fatalf("Ask: %v, %+v", err, a)
	}
	got := e.decodeContext(a.Context)
	if len(got.Topic) == 0 || got.Passage != a.Citations[0].ID {
		t.Errorf("context of an answer citing %q (%d bytes) decodes to %+v; want its topic and passage", a.Citations[0].ID, len(a.Citations[0].ID), got)
	}
}
