package web

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/causette/causette/chat"
	"github.com/gorilla/websocket"
)

// FuzzParseClientMsg feeds arbitrary frames to the socket's parser: it
// never panics, every refusal is a code the protocol documents, and what
// it accepts is an ask or a feedback with an id within bounds.
func FuzzParseClientMsg(f *testing.F) {
	for _, seed := range []string{
		`{"type":"ask","id":"c1","text":"Qui dirige Mistral ?","context":""}`,
		`{"type":"feedback","id":"c1","value":"up","turn":"t0123456789abcdef01234567"}`,
		`{"type":"ask","id":"` + string(make([]byte, 70)) + `"}`,
		`{"type":"x"}`, `[]`, `null`, `{"type":"ask","text":"\u0000"}`, "\xff\xfe", `{"type":1}`,
	} {
		f.Add(websocket.TextMessage, []byte(seed))
	}
	f.Add(websocket.BinaryMessage, []byte(`{"type":"ask"}`))
	f.Fuzz(func(t *testing.T, typ int, data []byte) {
		m, err := parseClientMsg(typ, data)
		if err != nil {
			var ce *chat.Error
			if !errors.As(err, &ce) || ce.Code == "" || ce.Message == "" {
				t.Fatalf("parseClientMsg(%d, %q) = %v; want a *chat.Error with a code and a message", typ, data, err)
			}
			if len(m.ID) > maxMessageID {
				t.Fatalf("parseClientMsg(%d, %q) echoes an id of %d bytes", typ, data, len(m.ID))
			}
			return
		}
		if typ != websocket.TextMessage || !utf8.Valid(data) {
			t.Fatalf("parseClientMsg accepted a frame of type %d, valid UTF-8 %v", typ, utf8.Valid(data))
		}
		if m.Type != "ask" && m.Type != "feedback" || len(m.ID) > maxMessageID {
			t.Fatalf("parseClientMsg(%q) accepted %+v", data, m)
		}
	})
}

// FuzzParseAskRequest feeds arbitrary bodies to POST /api/ask's parser.
func FuzzParseAskRequest(f *testing.F) {
	for _, seed := range []string{
		`{"q":"Qui dirige Mistral ?"}`, `{"q":"Et lui ?","context":"eyJ0IjpbIm1pc3RyYWwiXSwiYyI6OTl9"}`,
		`{"q":1}`, `{`, ``, "\xff", `{"q":"a","q":"b"}`, `{"context":{}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseAskRequest(body)
		if err != nil {
			if err != errInvalidText && err != errBadJSON {
				t.Fatalf("parseAskRequest(%q) = %v; want invalid_text or bad_json", body, err)
			}
			return
		}
		if !utf8.Valid(body) || !utf8.ValidString(req.Q) {
			t.Fatalf("parseAskRequest accepted %q", body)
		}
	})
}

// FuzzAskOverAPI sends arbitrary bodies through the whole POST /api/ask
// handler, engine included: the answer is a 200 or a 4xx, never a panic or
// a 500.
func FuzzAskOverAPI(f *testing.F) {
	f.Add([]byte(`{"q":"Qui dirige Mistral ?"}`))
	f.Add([]byte(`{"q":"Et lui ?","context":"eyJ0IjpbIm1pc3RyYWwiXSwiYyI6OTl9"}`))
	f.Add([]byte(`{"q":"` + "\u202e" + `combien ?"}`))
	s := newTestServer(f, Config{Limits: Limits{APIRatePerSecond: 1e9, APIRateBurst: 1 << 30}})
	f.Fuzz(func(t *testing.T, body []byte) {
		status := serveAsk(s, body)
		if status != 200 && (status < 400 || status >= 500) {
			t.Fatalf("POST /api/ask %q: status %d", body, status)
		}
	})
}

// serveAsk runs POST /api/ask with body through s's handler in process.
func serveAsk(s *Server, body []byte) int {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/ask", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	s.Handler().ServeHTTP(rec, req)
	return rec.Code
}
