package web

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// generous lets tests send many messages without meeting the rate limit.
var generous = Limits{RateBurst: 1000, RatePerSecond: 1000}

func TestHello(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	_, hello := dial(t, base)
	if g, _ := hello["greeting"].(string); g == "" {
		t.Errorf("hello greeting = %q; want a greeting", g)
	}
	if s, _ := hello["suggestions"].([]any); len(s) == 0 {
		t.Errorf("hello suggestions = %v; want starter questions", hello["suggestions"])
	}
}

func TestAskGetsOneAnswerWithCitation(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{Limits: generous}))
	c, _ := dial(t, base)
	tests := []struct {
		q, want string
	}{
		{"Qui est le PDG de Mistral ?", "Arthur Mensch"},
		{"Quel est le modèle phare d'OpenAI ?", "ChatGPT"},
	}
	for i, tt := range tests {
		id := "c" + string(rune('1'+i))
		a := c.ask(id, tt.q, "")
		if a.Type != "answer" || a.ID != id {
			t.Fatalf("ask(%q) got type %q id %q (%s %s); want an answer to %q", tt.q, a.Type, a.ID, a.Code, a.Message, id)
		}
		if a.Kind != "answer" || len(a.Citations) == 0 {
			t.Fatalf("ask(%q) got kind %q with %d citations; want an answer with a citation", tt.q, a.Kind, len(a.Citations))
		}
		if !strings.Contains(a.Citations[0].Text, tt.want) {
			t.Errorf("ask(%q) cites %q; want a passage holding %q", tt.q, a.Citations[0].Text, tt.want)
		}
		if a.Context == "" || !validTurnID(a.Turn) {
			t.Errorf("ask(%q) got context %q turn %q; want a context token and a turn id", tt.q, a.Context, a.Turn)
		}
	}
	// Exactly one answer per ask: the next message answers the next ask.
	if a := c.ask("last", "Bonjour", ""); a.ID != "last" {
		t.Errorf("after the answers, next message has id %q (type %q); want %q", a.ID, a.Type, "last")
	}
}

func TestFollowUpUsesContext(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{Limits: generous}))
	first, _ := dial(t, base)
	a := first.ask("c1", "Quel est le modèle phare d'OpenAI ?", "")
	if a.Context == "" {
		t.Fatalf("first answer has no context token")
	}
	const follow, want = "Et celui de Google ?", "Bard"
	same := first
	fresh, _ := dial(t, base) // another socket, as after a reconnection
	for name, c := range map[string]*client{"same socket": same, "new socket": fresh} {
		b := c.ask("c2", follow, a.Context)
		if b.Type != "answer" || b.Kind != "answer" || len(b.Citations) == 0 {
			t.Fatalf("%s: ask(%q) got type %q kind %q; want an answer with citations", name, follow, b.Type, b.Kind)
		}
		if !strings.Contains(b.Answer.Answer, want) || !strings.Contains(b.Citations[0].Text, want) {
			t.Errorf("%s: ask(%q) with context answers %q citing %q; want both to hold %q", name, follow, b.Answer.Answer, b.Citations[0].Text, want)
		}
	}
}

func TestBadInputGetsErrorAndSocketStaysUsable(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{Limits: generous}))
	c, _ := dial(t, base)
	tests := []struct {
		name     string
		typ      int
		data     string
		wantID   string
		wantCode string
	}{
		{"binary frame", websocket.BinaryMessage, `{"type":"ask","id":"b","text":"Qui ?"}`, "", "binary_frame"},
		{"invalid UTF-8", websocket.TextMessage, "{\"type\":\"ask\",\"id\":\"u\",\"text\":\"Qui \xff ?\"}", "", "invalid_text"},
		{"bad JSON", websocket.TextMessage, `{"type":"ask",`, "", "bad_json"},
		{"not an object", websocket.TextMessage, `"ask"`, "", "bad_json"},
		{"unknown type", websocket.TextMessage, `{"type":"shout","id":"x1"}`, "x1", "unknown_type"},
		{"no type", websocket.TextMessage, `{"id":"x2"}`, "x2", "unknown_type"},
		{"long id", websocket.TextMessage, `{"type":"ask","id":"` + strings.Repeat("i", 65) + `","text":"Qui ?"}`, "", "bad_json"},
		{"too long", websocket.TextMessage, `{"type":"ask","id":"l","text":"` + strings.Repeat("é", 2001) + `"}`, "l", "too_long"},
		{"empty", websocket.TextMessage, `{"type":"ask","id":"e","text":"   "}`, "e", "empty"},
		{"no letter", websocket.TextMessage, `{"type":"ask","id":"n","text":"?!?"}`, "n", "empty"},
		{"NUL", websocket.TextMessage, `{"type":"ask","id":"z","text":"Qui\u0000 ?"}`, "z", "invalid_text"},
		{"feedback value", websocket.TextMessage, `{"type":"feedback","id":"f","value":"meh"}`, "f", "bad_feedback"},
		{"feedback on nothing", websocket.TextMessage, `{"type":"feedback","id":"nope","value":"up"}`, "nope", "unknown_id"},
	}
	for _, tt := range tests {
		c.sendRaw(tt.typ, []byte(tt.data))
		got := c.readAnswer()
		if got.Type != "error" || got.Code != tt.wantCode || got.ID != tt.wantID {
			t.Errorf("%s: sent %.60q, got type %q code %q id %q; want error %q id %q",
				tt.name, tt.data, got.Type, got.Code, got.ID, tt.wantCode, tt.wantID)
		}
		if got.Type == "error" && got.Message == "" {
			t.Errorf("%s: error %q has no message", tt.name, got.Code)
		}
		if a := c.ask("ok", "Qui est le PDG de Mistral ?", ""); a.Type != "answer" {
			t.Fatalf("%s: the next question got type %q code %q; want an answer on the same socket", tt.name, a.Type, a.Code)
		}
	}
}

func TestFrameAboveReadLimitClosesSocket(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	c, _ := dial(t, base)
	c.sendRaw(websocket.TextMessage, []byte(strings.Repeat("a", DefaultReadLimit+1)))
	c.ws.SetReadDeadline(time.Now().Add(testTimeout))
	_, _, err := c.ws.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Errorf("frame of %d bytes: read got %v; want close %d", DefaultReadLimit+1, err, websocket.CloseMessageTooBig)
	}
}

func TestRateLimited(t *testing.T) {
	const burst = 3
	// A rate so slow no token comes back during the test.
	base := startHTTP(t, newTestServer(t, Config{Limits: Limits{RateBurst: burst, RatePerSecond: 0.001}}))
	c, _ := dial(t, base)
	for i := range burst {
		if a := c.ask("ok", "Bonjour", ""); a.Type != "answer" {
			t.Fatalf("message %d of a burst of %d got type %q code %q; want an answer", i+1, burst, a.Type, a.Code)
		}
	}
	if a := c.ask("over", "Bonjour", ""); a.Type != "error" || a.Code != "rate_limited" || a.ID != "over" {
		t.Errorf("message %d got type %q code %q id %q; want error rate_limited id %q", burst+1, a.Type, a.Code, a.ID, "over")
	}
}

func TestOrigin(t *testing.T) {
	s := newTestServer(t, Config{AllowOrigins: []string{"https://partner.example"}})
	base := startHTTP(t, s)
	host := strings.TrimPrefix(base, "http://")
	tests := []struct {
		origin string
		want   int
	}{
		{"", http.StatusSwitchingProtocols},
		{"http://" + host, http.StatusSwitchingProtocols},
		{"https://partner.example", http.StatusSwitchingProtocols},
		{"https://PARTNER.example", http.StatusSwitchingProtocols},
		{"https://evil.example", http.StatusForbidden},
		{"http://partner.example", http.StatusForbidden},
		{"https://partner.example.evil.example", http.StatusForbidden},
		{"null", http.StatusForbidden},
	}
	for _, tt := range tests {
		if got := dialStatus(t, wsURL(base), tt.origin); got != tt.want {
			t.Errorf("Origin %q: status %d; want %d", tt.origin, got, tt.want)
		}
	}
}

func TestConnectionCaps(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		want   int
	}{
		{"per IP", Limits{MaxConnsPerIP: 2, MaxConns: 100}, http.StatusTooManyRequests},
		{"in total", Limits{MaxConnsPerIP: 100, MaxConns: 2}, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		base := startHTTP(t, newTestServer(t, Config{Limits: tt.limits}))
		a, _ := dial(t, base)
		dial(t, base)
		_, resp, err := websocket.DefaultDialer.Dial(wsURL(base), nil)
		if resp == nil || resp.StatusCode != tt.want {
			t.Errorf("%s: third socket got %v (%v); want status %d", tt.name, resp, err, tt.want)
		}
		a.ws.Close()
	}
}

func TestHubReleasesSlots(t *testing.T) {
	h := newHub(Limits{MaxConns: 3, MaxConnsPerIP: 2})
	steps := []struct {
		op   string // "reserve" or "release"
		ip   string
		want int // reserve's status
	}{
		{"reserve", "a", 0},
		{"reserve", "a", 0},
		{"reserve", "a", 429},
		{"reserve", "b", 0},
		{"reserve", "c", 503},
		{"release", "a", 0},
		{"reserve", "a", 0},
		{"release", "b", 0},
		{"reserve", "c", 0},
	}
	for i, st := range steps {
		if st.op == "release" {
			h.release(st.ip)
			continue
		}
		if got := h.reserve(st.ip); got != st.want {
			t.Errorf("step %d: reserve(%q) = %d; want %d", i, st.ip, got, st.want)
		}
	}
	h.shutdown()
	if got := h.reserve("d"); got != 503 {
		t.Errorf("reserve after shutdown = %d; want 503", got)
	}
}

func TestShutdownSendsGoingAway(t *testing.T) {
	sv := startServe(t, newTestServer(t, Config{}))
	c, _ := dial(t, sv.URL)
	go sv.stop()
	c.ws.SetReadDeadline(time.Now().Add(testTimeout))
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("on shutdown the socket read %v; want close %d", err, websocket.CloseGoingAway)
	}
	if !strings.Contains(ce.Text, "redémarre") {
		t.Errorf("close reason %q; want a French reason", ce.Text)
	}
	select {
	case err := <-sv.done:
		if err != nil {
			t.Errorf("Serve returned %v; want nil", err)
		}
		sv.done <- nil
	case <-time.After(testTimeout):
		t.Fatalf("Serve did not return after shutdown")
	}
}

// TestNoPongClosesSocket checks that a client that never answers pings is
// closed, and not before the pong wait. Timing only bounds from below, from
// before the dial (the server arms its deadline during it), so load can only
// make the test slower, never fail it.
func TestNoPongClosesSocket(t *testing.T) {
	const pongWait = 200 * time.Millisecond
	base := startHTTP(t, newTestServer(t, Config{Limits: Limits{PongWait: pongWait}}))
	start := time.Now()
	c, _ := dial(t, base)
	c.ws.SetPingHandler(func(string) error { return nil }) // never answers pings
	c.ws.SetReadDeadline(time.Now().Add(testTimeout))
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("a client that never answers pings was not closed within %v", testTimeout)
			}
			break
		}
	}
	if d := time.Since(start); d < pongWait {
		t.Errorf("a silent client was closed after %v; want at least the pong wait %v", d, pongWait)
	}
}

// TestLiveClientStaysOpen checks that a client answering pings outlives
// several pong waits. It counts pings instead of sleeping: the server keeps
// pinging only while the socket is open, and pings come every half pong
// wait, so each pong has half a pong wait to spare, however loaded the
// machine.
func TestLiveClientStaysOpen(t *testing.T) {
	const (
		// pongWait leaves each pong half a second to come back.
		pongWait = time.Second
		// pings to see: their span is 1.5 pong waits, so the pongs must have
		// re-armed the server's deadline.
		pings = 3
	)
	base := startHTTP(t, newTestServer(t, Config{Limits: Limits{PongWait: pongWait}}))
	start := time.Now()
	c, _ := dial(t, base)
	seen := 0
	c.ws.SetPingHandler(func(data string) error {
		seen++
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(testTimeout))
		if seen == pings {
			c.ws.SetReadDeadline(time.Now()) // enough: end the read below
		}
		return err
	})
	c.ws.SetReadDeadline(time.Now().Add(testTimeout))
	_, _, err := c.ws.ReadMessage()
	var ne interface{ Timeout() bool }
	if seen < pings || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("a client answering pings saw %d pings then read %v; want %d pings on an open socket", seen, err, pings)
	}
	if d := time.Since(start); d < pongWait {
		t.Errorf("%d pings came within %v; want them to span more than the pong wait %v", pings, d, pongWait)
	}
}

func TestSlowClientIsDropped(t *testing.T) {
	s := newTestServer(t, Config{})
	c := &conn{s: s, send: make(chan []byte, 1), quit: make(chan struct{})}
	c.queue(errMsg{Type: "error"})
	select {
	case <-c.quit:
		t.Fatalf("queue with room stopped the socket")
	default:
	}
	c.queue(errMsg{Type: "error"}) // the queue is full: the client is too slow
	select {
	case <-c.quit:
	default:
		t.Errorf("queue on a full send buffer did not stop the socket")
	}
}

func TestOnTurnAndFeedback(t *testing.T) {
	turns := make(chan TurnRecord, 1)
	type rating struct{ turn, value string }
	ratings := make(chan rating, 2)
	base := startHTTP(t, newTestServer(t, Config{
		Limits:     generous,
		OnTurn:     func(r TurnRecord) { turns <- r },
		OnFeedback: func(turn, value string) bool { ratings <- rating{turn, value}; return true },
	}))
	c, _ := dial(t, base)
	const q = "Qui est le PDG de Mistral ?"
	a := c.ask("c1", q, "")
	var rec TurnRecord
	select {
	case rec = <-turns:
	case <-time.After(testTimeout):
		t.Fatalf("OnTurn not called for %q", q)
	}
	if rec.ID != a.Turn || rec.Question != q || rec.Kind != a.Kind || rec.Cited != a.Citations[0].ID ||
		rec.Confidence != a.Confidence || rec.Channel != "ws" || rec.Time.IsZero() || rec.Latency <= 0 {
		t.Errorf("OnTurn got %+v; want turn %q question %q kind %q cited %q on ws", rec, a.Turn, q, a.Kind, a.Citations[0].ID)
	}
	// Each rating is awaited before the next is sent: two sockets are read by
	// two goroutines, so their messages may be handled in either order.
	expect := func(want rating) {
		t.Helper()
		select {
		case got := <-ratings:
			if got != want {
				t.Errorf("OnFeedback got %+v; want %+v", got, want)
			}
		case <-time.After(testTimeout):
			t.Fatalf("OnFeedback not called; want %+v", want)
		}
	}
	c.send(map[string]string{"type": "feedback", "id": "c1", "value": "up"})
	expect(rating{a.Turn, "up"})
	// After a reconnection the client quotes the turn id.
	other, _ := dial(t, base)
	other.send(map[string]string{"type": "feedback", "id": "c1", "turn": a.Turn, "value": "down"})
	expect(rating{a.Turn, "down"})
}

// BenchmarkAskOverSocket measures one question and its answer over a real
// loopback socket, engine included.
func BenchmarkAskOverSocket(b *testing.B) {
	base := startHTTP(b, newTestServer(b, Config{Limits: Limits{RateBurst: 1 << 30, RatePerSecond: 1e9}}))
	c, _ := dial(b, base)
	qs := []string{"Qui est le PDG de Mistral ?", "Quel est le modèle phare d'OpenAI ?", "Combien vaut Mistral AI aujourd'hui ?"}
	for i := 0; b.Loop(); i++ {
		if a := c.ask("b", qs[i%len(qs)], ""); a.Type != "answer" {
			b.Fatalf("ask got %q %q", a.Type, a.Code)
		}
	}
}

func TestVisitorIPBehindProxy(t *testing.T) {
	tests := []struct {
		proxies string // Config.TrustedProxies
		peer    string
		xff     []string
		want    string
	}{
		{"", "127.0.0.1", []string{"203.0.113.9"}, "127.0.0.1"},                     // no proxy trusted
		{"10.0.0.0/8", "127.0.0.1", []string{"203.0.113.9"}, "127.0.0.1"},           // the peer is not the proxy
		{"127.0.0.1", "127.0.0.1", nil, "127.0.0.1"},                                // no header: the proxy itself
		{"127.0.0.1", "127.0.0.1", []string{"203.0.113.9"}, "203.0.113.9"},          // one proxy
		{"127.0.0.1", "127.0.0.1", []string{"6.6.6.6, 203.0.113.9"}, "203.0.113.9"}, // a forged prefix is never read
		{"127.0.0.1", "127.0.0.1", []string{"6.6.6.6", "203.0.113.9 "}, "203.0.113.9"},
		{"127.0.0.1,10.0.0.0/8", "127.0.0.1", []string{"6.6.6.6, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"}, // two proxies
		{"127.0.0.1,10.0.0.0/8", "127.0.0.1", []string{"10.9.9.9, 10.1.2.3"}, "10.9.9.9"},                // all trusted: the farthest
		{"127.0.0.1", "127.0.0.1", []string{"203.0.113.9, pas une adresse"}, "127.0.0.1"},                // the proxy wrote garbage
		{"127.0.0.1", "127.0.0.1", []string{"2001:db8::1"}, "2001:db8::1"},
		{"::1", "[::1]", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
	}
	for _, tt := range tests {
		s := newTestServer(t, Config{TrustedProxies: mustProxies(t, tt.proxies)})
		r, _ := http.NewRequest("GET", "/ws", nil)
		r.RemoteAddr = tt.peer + ":5555"
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.visitorIP(r); got != tt.want {
			t.Errorf("visitorIP(proxies %q, peer %s, X-Forwarded-For %q) = %q; want %q", tt.proxies, tt.peer, tt.xff, got, tt.want)
		}
	}
}

// mustProxies parses a --trusted-proxy list.
func mustProxies(tb testing.TB, list string) []netip.Prefix {
	tb.Helper()
	p, err := ParseTrustedProxies(list)
	if err != nil {
		tb.Fatalf("ParseTrustedProxies(%q): %v", list, err)
	}
	return p
}
