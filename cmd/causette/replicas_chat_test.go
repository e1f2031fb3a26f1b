package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The clients of the replicas' test: chat sockets and staff requests
// through nginx, and visitors asking on under load.

const (
	// answerWait bounds the wait for one reply on a socket.
	answerWait = 10 * time.Second
	// dialTries is how many sockets or requests are sent through nginx to
	// reach a given replica: round robin gives it every second one.
	dialTries = 8
	// redialEvery is how often a visitor whose socket closed tries again:
	// faster than the chat page (0.5 s, then doubling), so that the
	// reconnection times measure the servers, not a backoff.
	redialEvery = 20 * time.Millisecond
	// askPause is a visitor's pause between an answer and its next
	// question: steady load that leaves the 2 cores room.
	askPause = 10 * time.Millisecond
)

// chatMsg is a message of the chat's WebSocket, both ways
// (docs/protocol.md).
type chatMsg struct {
	Type      string     `json:"type"`
	ID        string     `json:"id,omitempty"`
	Text      string     `json:"text,omitempty"`
	Context   string     `json:"context,omitempty"`
	Value     string     `json:"value,omitempty"`
	Turn      string     `json:"turn,omitempty"`
	Kind      string     `json:"kind,omitempty"`
	Answer    string     `json:"answer,omitempty"`
	Code      string     `json:"code,omitempty"`
	Citations []citation `json:"citations,omitempty"`
}

// citation is the part of an answer's citation the test reads.
type citation struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// socket is a chat WebSocket through nginx, and the replica behind it.
type socket struct {
	conn     *websocket.Conn
	upstream string
}

// dial opens a chat socket through nginx, as visitor xff (an address the
// visitor's own proxy would have written), and reads its hello.
func (b *balancer) dial(xff string) (*socket, error) {
	d := websocket.Dialer{TLSClientConfig: b.tls.Clone(), HandshakeTimeout: answerWait}
	h := http.Header{}
	if xff != "" {
		h.Set("X-Forwarded-For", xff)
	}
	conn, resp, err := d.Dial("wss://"+b.addr+"/ws", h)
	if err != nil {
		if resp != nil {
			return nil, refusedError{resp.StatusCode}
		}
		return nil, err
	}
	s := &socket{conn: conn, upstream: upstream(resp.Header)}
	if m, err := s.read(); err != nil || m.Type != "hello" {
		conn.Close()
		return nil, fmt.Errorf("first message %+v, %v; want hello", m, err)
	}
	return s, nil
}

// refusedError is an upgrade answered with a status instead of 101.
type refusedError struct{ status int }

func (e refusedError) Error() string { return fmt.Sprintf("upgrade refused: %d", e.status) }

// dialOn opens a chat socket through nginx that lands on replica r.
func (b *balancer) dialOn(t *testing.T, r *replica) *socket {
	t.Helper()
	for i := 0; i < dialTries; i++ {
		// A visitor of its own each time: the sockets closed here may
		// not have ended on the replica yet, and count against its cap.
		s, err := b.dial(fmt.Sprintf("192.0.2.%d", b.dialed.Add(1)%250+1))
		if err != nil {
			t.Fatalf("dial through nginx: %v", err)
		}
		if s.upstream == r.addr {
			t.Cleanup(func() { s.conn.Close() })
			return s
		}
		s.conn.Close()
	}
	t.Fatalf("%d sockets through nginx, none on %s (%s)", dialTries, r.name, r.addr)
	return nil
}

// read reads the next message.
func (s *socket) read() (chatMsg, error) {
	var m chatMsg
	s.conn.SetReadDeadline(time.Now().Add(answerWait))
	_, data, err := s.conn.ReadMessage()
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(data, &m)
}

// send writes m.
func (s *socket) send(m chatMsg) error {
	s.conn.SetWriteDeadline(time.Now().Add(answerWait))
	return s.conn.WriteJSON(m)
}

// ask sends a question and reads the reply.
func (s *socket) ask(id, text, context string) (chatMsg, error) {
	if err := s.send(chatMsg{Type: "ask", ID: id, Text: text, Context: context}); err != nil {
		return chatMsg{}, err
	}
	return s.read()
}

// mustAsk asks and stops the test unless an answer comes.
func (s *socket) mustAsk(t *testing.T, id, text, context string) chatMsg {
	t.Helper()
	m, err := s.ask(id, text, context)
	if err != nil || m.Type != "answer" {
		t.Fatalf("ask(%q) on %s: %+v, %v; want an answer", text, s.upstream, m, err)
	}
	return m
}

// request sends method path through nginx with the staff cookie (when
// given) and a JSON or form body, and returns the response and its body.
func (b *balancer) request(t *testing.T, method, path string, cookie *http.Cookie, body io.Reader, contentType string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, "https://"+b.addr+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s through nginx: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s through nginx: %v", method, path, err)
	}
	return resp, data
}

// signIn opens a staff session through nginx and returns its cookie and
// the replica that opened it.
func (b *balancer) signIn(t *testing.T, name, password string) (*http.Cookie, string) {
	t.Helper()
	form := url.Values{"name": {name}, "password": {password}}
	resp, body := b.request(t, "POST", "/staff/signin", nil, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	for _, c := range resp.Cookies() {
		if c.Name == "causette_staff" && c.Value != "" {
			if !c.Secure {
				t.Errorf("the session cookie through nginx over https is not Secure: X-Forwarded-Proto unread")
			}
			return c, upstream(resp.Header)
		}
	}
	t.Fatalf("sign-in as %s through nginx: %d, no session cookie: %s", name, resp.StatusCode, body)
	return nil, ""
}

// statusOnEach sends the request made by do through nginx until each of
// the replicas has answered it once, and returns their statuses.
func (b *balancer) statusOnEach(t *testing.T, replicas []*replica, do func() *http.Response) map[string]int {
	t.Helper()
	got := map[string]int{}
	for i := 0; i < dialTries && len(got) < len(replicas); i++ {
		resp := do()
		got[upstream(resp.Header)] = resp.StatusCode
	}
	for _, r := range replicas {
		if _, ok := got[r.addr]; !ok {
			t.Fatalf("%d requests through nginx, none answered by %s (%s): %v", dialTries, r.name, r.addr, got)
		}
	}
	return got
}

// loggedQuestions reads every question of the log of the last hour, as
// the staff export gives it through nginx.
func (b *balancer) loggedQuestions(t *testing.T, cookie *http.Cookie, view string) map[string]int {
	t.Helper()
	resp, body := b.request(t, "GET", "/staff/api/log/"+view+".csv?since=1h", cookie, nil, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /staff/api/log/%s.csv through nginx: %d %s", view, resp.StatusCode, body)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(rows) == 0 || rows[0][1] != "question" {
		t.Fatalf("the %s export: %v; want a CSV with a question column:\n%.300s", view, err, body)
	}
	got := map[string]int{}
	for _, row := range rows[1:] {
		got[row[1]]++
	}
	return got
}

// answered is a question a visitor got an answer to.
type answered struct {
	question string
	at       time.Time // when the answer arrived
	upstream string
}

// closed is the end of a visitor's socket.
type closed struct {
	upstream string
	code     int // the close code, 1006 when the connection just broke
	at       time.Time
}

// visitor is a chat page through nginx that asks question after question,
// each one unique so that the log can be checked, and reconnects through
// nginx when its socket closes.
type visitor struct {
	n     int
	phase string
	b     *balancer

	mu         sync.Mutex
	on         string // the replica of the current socket
	answers    []answered
	closes     []closed
	reconnects []time.Duration // from a close to the next hello
	refused    int             // replies that were errors
}

// visitorQuestions are what visitors ask, in turn; each gets a suffix
// that makes it unique.
var visitorQuestions = []string{"Qui est le PDG de Mistral ?", "Quel est le modèle phare d'OpenAI ?",
	"Combien a levé OpenAI ?", "Quand Mistral a-t-elle été fondée ?", "Bonjour"}

// run asks until stop is closed.
func (v *visitor) run(stop <-chan struct{}) {
	var s *socket
	var lastClose time.Time
	for k := 0; ; k++ {
		for s == nil {
			select {
			case <-stop:
				return
			default:
			}
			var err error
			if s, err = v.b.dial(fmt.Sprintf("198.51.100.%d", v.n+1)); err != nil {
				time.Sleep(redialEvery)
				continue
			}
			v.mu.Lock()
			v.on = s.upstream
			if !lastClose.IsZero() {
				v.reconnects = append(v.reconnects, time.Since(lastClose))
			}
			v.mu.Unlock()
		}
		select {
		case <-stop:
			s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			s.conn.Close()
			return
		default:
		}
		q := fmt.Sprintf("%s (%s, visiteur %d, question %d)", visitorQuestions[k%len(visitorQuestions)], v.phase, v.n, k)
		m, err := s.ask(fmt.Sprintf("q%d", k), q, "")
		v.mu.Lock()
		switch {
		case err != nil:
			code := websocket.CloseAbnormalClosure
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				code = ce.Code
			}
			lastClose = time.Now()
			v.closes = append(v.closes, closed{s.upstream, code, lastClose})
			s.conn.Close()
			s = nil
		case m.Type == "answer":
			v.answers = append(v.answers, answered{q, time.Now(), s.upstream})
		default:
			v.refused++
		}
		v.mu.Unlock()
		time.Sleep(askPause)
	}
}

// answeredSince counts the answers received after t.
func (v *visitor) answeredSince(t time.Time) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, a := range v.answers {
		if a.at.After(t) {
			n++
		}
	}
	return n
}

// current is the replica of the visitor's socket.
func (v *visitor) current() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.on
}

// durations summarises reconnection times: min, median, max.
func durations(ds []time.Duration) string {
	if len(ds) == 0 {
		return "none"
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	r := func(d time.Duration) time.Duration { return d.Round(100 * time.Microsecond) }
	return fmt.Sprintf("%d: min %v, median %v, max %v", len(s), r(s[0]), r(s[len(s)/2]), r(s[len(s)-1]))
}
