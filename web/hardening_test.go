package web

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/chat"
	"github.com/gorilla/websocket"
)

// panicQuestion makes the test servers' OnTurn panic, as a bug in the
// answer path would.
const panicQuestion = "Question qui fait paniquer le serveur ?"

// panickingTurns is an OnTurn that panics on panicQuestion.
func panickingTurns(rec TurnRecord) {
	if rec.Question == panicQuestion {
		var cues []int
		_ = cues[len(rec.Question)] // index out of range, as chat/rank.go once did
	}
}

// eventually polls cond until it holds or testTimeout passes.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("after %v: %s", testTimeout, what)
		}
		time.Sleep(pollInterval)
	}
}

func TestPanicOverSocketClosesItAndFreesItsSlot(t *testing.T) {
	const perIP = 4
	logs := &syncBuffer{}
	s := newTestServer(t, Config{
		Limits: Limits{MaxConnsPerIP: perIP, RateBurst: 100, RatePerSecond: 100},
		OnTurn: panickingTurns,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	base := startHTTP(t, s)
	before := runtime.NumGoroutine()
	const poisoned = 3 * perIP // more than the cap: leaked slots would show
	for i := range poisoned {
		c, _ := dial(t, base)
		c.send(map[string]string{"type": "ask", "id": "p", "text": panicQuestion})
		c.ws.SetReadDeadline(time.Now().Add(testTimeout))
		_, _, err := c.ws.ReadMessage()
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseInternalServerErr {
			t.Fatalf("socket %d after a panic: read %v; want close 1011", i, err)
		}
		c.ws.Close()
	}
	eventually(t, "the poisoned sockets are still counted", func() bool { return s.hub.count() == 0 })
	// Each socket had a reader and a writer; a leaked writer keeps pinging.
	eventually(t, "goroutines leaked by the poisoned sockets", func() bool { return runtime.NumGoroutine() <= before+2 })
	// The slots are free: perIP sockets again, and the cap still holds.
	for i := range perIP {
		if c, _ := dial(t, base); c.ask("q", "Qui est le PDG de Mistral ?", "").Type != "answer" {
			t.Fatalf("socket %d after the panics does not answer", i)
		}
	}
	if got := dialStatus(t, wsURL(base), ""); got != http.StatusTooManyRequests {
		t.Errorf("socket %d from one address: status %d; want 429", perIP+1, got)
	}
	lines := strings.Count(logs.String(), "panic while serving a visitor")
	if lines != poisoned {
		t.Errorf("%d panics logged %d lines; want one each", poisoned, lines)
	}
	if strings.Contains(logs.String(), "goroutine ") || !strings.Contains(logs.String(), "panickingTurns") {
		t.Errorf("panic log lines should name the culprit without a stack trace:\n%s", logs.String())
	}
}

func TestPanicInHandlerAnswers500(t *testing.T) {
	logs := &syncBuffer{}
	s := newTestServer(t, Config{
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
		Routes: []func(*http.ServeMux){func(mux *http.ServeMux) {
			mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
		}},
	})
	base := startHTTP(t, s)
	resp, body := get(t, base+"/boom", nil)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, `"internal"`) {
		t.Errorf("GET /boom (panics): %d %s; want 500 with code internal", resp.StatusCode, body)
	}
	if resp, _ := get(t, base+"/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after a panic, /healthz: %d; want 200", resp.StatusCode)
	}
	if n := strings.Count(logs.String(), "panic while serving a visitor"); n != 1 || strings.Contains(logs.String(), "goroutine ") {
		t.Errorf("one panic logged %d lines (want 1, no stack):\n%s", n, logs.String())
	}
}

// rawConn opens a TCP connection to the server at base from local (an
// address of 127.0.0.0/8; "" for any).
func rawConn(tb testing.TB, base, local string) net.Conn {
	tb.Helper()
	d := net.Dialer{Timeout: testTimeout}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	c, err := d.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		tb.Fatalf("dial %s from %q: %v", base, local, err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func TestSlowBodyIsCut(t *testing.T) {
	sv := startServe(t, newTestServer(t, Config{}))
	for _, tt := range []struct {
		path string
		want int // the status answered, 0 for any error status
	}{
		{"/api/ask", http.StatusRequestTimeout},
		{"/staff/signin", 0}, // a route this server lacks: cut all the same
	} {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			c := rawConn(t, sv.URL, "")
			// A body announced and never sent (a trickle of one byte a second is
			// the same to the server: the body never arrives in time).
			io.WriteString(c, "POST "+tt.path+" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{")
			start := time.Now()
			c.SetReadDeadline(time.Now().Add(2 * bodyWait))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			switch {
			case errors.Is(err, os.ErrDeadlineExceeded):
				t.Errorf("POST %s with a body that never comes: still open after %v", tt.path, time.Since(start))
			case err == nil:
				body, _ := io.ReadAll(resp.Body)
				if resp.StatusCode < 400 || (tt.want != 0 && resp.StatusCode != tt.want) {
					t.Errorf("POST %s with a body that never comes: %d %s; want %d", tt.path, resp.StatusCode, body, tt.want)
				}
			case tt.want != 0:
				t.Errorf("POST %s with a body that never comes: %v; want a %d answer", tt.path, err, tt.want)
			}
		})
	}
}

func TestConnectionsCappedPerAddress(t *testing.T) {
	const max = 5
	sv := startServe(t, newTestServer(t, Config{Limits: Limits{MaxConnsPerAddr: max}}))
	idle := make([]net.Conn, max)
	for i := range idle {
		idle[i] = rawConn(t, sv.URL, "127.0.0.1")
	}
	// The server only counts a connection once it accepted it: ask on the
	// last one, so all are accepted before the one over the cap.
	io.WriteString(idle[max-1], "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	idle[max-1].SetReadDeadline(time.Now().Add(testTimeout))
	if resp, err := http.ReadResponse(bufio.NewReader(idle[max-1]), nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz on connection %d of %d: %v", max, max, err)
	}
	over := rawConn(t, sv.URL, "127.0.0.1")
	over.SetReadDeadline(time.Now().Add(testTimeout))
	if n, err := over.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("connection %d from one address: read %d bytes, %v; want it closed at once", max+1, n, err)
	}
	// Another address is served meanwhile.
	other := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext}}
	resp, err := other.Get(sv.URL + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz from 127.0.0.2 while 127.0.0.1 is at its cap: %v", err)
	}
	resp.Body.Close()
	// Slots come back when connections close.
	idle[0].Close()
	eventually(t, "a closed connection's slot is not given back", func() bool {
		c := rawConn(t, sv.URL, "127.0.0.1")
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		c.Close()
		return err == nil && resp.StatusCode == http.StatusOK
	})
}

func TestTrustedProxyIsNotCapped(t *testing.T) {
	const max = 2
	sv := startServe(t, newTestServer(t, Config{Limits: Limits{MaxConnsPerAddr: max},
		TrustedProxies: mustProxies(t, "127.0.0.1")}))
	for i := range max + 3 {
		c := rawConn(t, sv.URL, "127.0.0.1")
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(testTimeout))
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("connection %d from the trusted proxy: %v; want it served", i+1, err)
		}
	}
}

func TestCrossSiteStaffPostRefused(t *testing.T) {
	f := newStaffFixtureWith(t, "", Config{AllowOrigins: []string{"https://site.example"}})
	cookie := f.session(t)
	post := func(path, origin, fetchSite string, c *http.Cookie) int {
		t.Helper()
		req, err := http.NewRequest("POST", f.URL+path, strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if fetchSite != "" {
			req.Header.Set("Sec-Fetch-Site", fetchSite)
		}
		if c != nil {
			req.AddCookie(c)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tt := range []struct{ origin, fetchSite string }{
		{"https://evil.example", "cross-site"},
		{"https://evil.example", ""},
		{"", "cross-site"},
		{"https://site.example", "cross-site"}, // a site allowed for the chat is not one for the console
	} {
		if got := post("/staff/signout", tt.origin, tt.fetchSite, cookie); got != http.StatusForbidden {
			t.Errorf("cross-site POST /staff/signout (Origin %q, Sec-Fetch-Site %q): %d; want 403", tt.origin, tt.fetchSite, got)
		}
		if got := post("/staff/signin", tt.origin, tt.fetchSite, nil); got != http.StatusForbidden {
			t.Errorf("cross-site POST /staff/signin (Origin %q, Sec-Fetch-Site %q): %d; want 403", tt.origin, tt.fetchSite, got)
		}
	}
	if resp, _ := f.get(t, "/staff", cookie); resp.StatusCode != http.StatusOK {
		t.Fatalf("after refused cross-site sign-outs, /staff: %d; want the session kept (200)", resp.StatusCode)
	}
	// The public API stays open to the sites allowed.
	resp, body := postAsk(t, f.URL, "https://site.example", `{"q":"Qui est le PDG de Mistral ?"}`)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST /api/ask from an allowed site: %d %s; want 200", resp.StatusCode, body)
	}
	// The console's own page signs out.
	if got := post("/staff/signout", f.URL, "same-origin", cookie); got != http.StatusSeeOther {
		t.Errorf("same-origin POST /staff/signout: %d; want 303", got)
	}
	if resp, _ := f.get(t, "/staff", cookie); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after signing out, /staff: %d; want a redirect to the sign-in", resp.StatusCode)
	}
}

// postAsk posts body to /api/ask with Origin (none when "") and
// Sec-Fetch-Site cross-site when an origin is given.
func postAsk(tb testing.TB, base, origin, body string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest("POST", base+"/api/ask", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	return do(tb, req)
}

func TestHTTPSMakesCookiesSecureAndSendsHSTS(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		forwarded string // X-Forwarded-Proto
		want      bool
	}{
		{"plain http", Config{}, "", false},
		{"forged X-Forwarded-Proto", Config{}, "https", false},
		{"public https URL", Config{PublicURL: "https://faq.example.org"}, "", true},
		{"trusted proxy says https", Config{TrustedProxies: mustProxies(t, "127.0.0.0/8")}, "https", true},
		{"trusted proxy says http", Config{TrustedProxies: mustProxies(t, "127.0.0.0/8")}, "http", false},
		{"untrusted peer says https", Config{TrustedProxies: mustProxies(t, "10.0.0.0/8")}, "https", false},
	}
	for _, tt := range tests {
		f := newStaffFixtureWith(t, "", tt.cfg)
		req, err := http.NewRequest("POST", f.URL+"/staff/signin",
			strings.NewReader(url.Values{"token": {staffTestToken}, "next": {"/staff"}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tt.forwarded != "" {
			req.Header.Set("X-Forwarded-Proto", tt.forwarded)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatalf("%s: sign-in: %v", tt.name, err)
		}
		resp.Body.Close()
		var secure, found bool
		for _, c := range resp.Cookies() {
			if c.Name == staffCookie {
				found, secure = true, c.Secure
			}
		}
		if !found {
			t.Fatalf("%s: sign-in %d set no session cookie", tt.name, resp.StatusCode)
		}
		hsts := resp.Header.Get("Strict-Transport-Security") != ""
		if secure != tt.want || hsts != tt.want {
			t.Errorf("%s: cookie Secure %v, HSTS %v; want both %v", tt.name, secure, hsts, tt.want)
		}
	}
}

// writeSelfSigned writes a certificate for 127.0.0.1 and its key as PEM
// files in dir and returns their paths and the certificate.
func writeSelfSigned(tb testing.TB, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "causette test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ = x509.ParseCertificate(der)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile, cert
}

func TestBuiltInTLS(t *testing.T) {
	certFile, keyFile, cert := writeSelfSigned(t, t.TempDir())
	sv := startServe(t, newTestServer(t, Config{TLSCertFile: certFile, TLSKeyFile: keyFile}))
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(strings.Replace(sv.URL, "http://", "https://", 1) + "/healthz")
	if err != nil {
		t.Fatalf("GET https /healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET https /healthz: %d, HSTS %q; want 200 with HSTS", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	// A certificate that cannot be read is refused at start, naming it.
	if _, err := NewServer(Config{Engine: testEng, Index: testIx, TLSCertFile: keyFile, TLSKeyFile: keyFile}); err == nil ||
		!strings.Contains(err.Error(), keyFile) {
		t.Errorf("NewServer with a key as certificate: %v; want an error naming %s", err, keyFile)
	}
}

func TestStaffTokenTooShort(t *testing.T) {
	ix, eng := mustEngine(t)
	f := newStaffFixture(t, "")
	for _, token := range []string{"a", "123456789012345", "ééééééééééééééé"} {
		if _, err := NewStaff(StaffConfig{Token: token, Log: f.Log, Engine: eng, Index: ix}); err == nil {
			t.Errorf("NewStaff with token %q (%d characters): no error; want at least %d", token, len([]rune(token)), MinStaffTokenLength)
		}
	}
	if _, err := NewStaff(StaffConfig{Token: "éééééééééééééééé", Log: f.Log, Engine: eng, Index: ix}); err != nil {
		t.Errorf("NewStaff with 16 characters: %v", err)
	}
}

func TestFeedbackForUnknownTurn(t *testing.T) {
	known := map[string]bool{}
	base := startHTTP(t, newTestServer(t, Config{
		OnTurn:     func(rec TurnRecord) { known[rec.ID] = true },
		OnFeedback: func(turn, _ string) bool { return known[turn] },
	}))
	c, _ := dial(t, base)
	a := c.ask("m1", "Qui est le PDG de Mistral ?", "")
	c.send(map[string]string{"type": "feedback", "id": "x", "turn": newTurnID(), "value": "up"})
	if m := c.read(); m["code"] != "unknown_turn" {
		t.Errorf("feedback on a well-formed turn id never given: %v; want error unknown_turn", m)
	}
	c.send(map[string]string{"type": "feedback", "id": "y", "turn": a.Turn, "value": "up"})
	c.send(map[string]string{"type": "ask", "id": "m2", "text": "Qui a fondé Mistral ?"})
	if m := c.read(); m["type"] != "answer" || m["id"] != "m2" {
		t.Errorf("after feedback on a real turn, next message %v; want the answer to m2 (no error)", m)
	}
}

func TestSignInLockoutPerAddressAndBounded(t *testing.T) {
	f := newStaffFixture(t, "")
	st := f.Staff
	now := time.Now()
	// Far more failed addresses than the table holds.
	for i := range 3 * maxTrackedIPs {
		st.failed(addressKey(net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)).String()), now)
	}
	if n := st.failures.Len(); n > maxTrackedIPs {
		t.Errorf("failures tracked for %d addresses; want at most %d", n, maxTrackedIPs)
	}
	if !st.mayTry(addressKey("192.0.2.1"), staffSignInAttempts, now) {
		t.Errorf("an address with no failures may not try")
	}
	// IPv6: one subscriber's /64 is one address.
	for i := range staffSignInAttempts {
		st.failed(addressKey("2001:db8:1:2::"+string(rune('a'+i))), now)
	}
	if st.mayTry(addressKey("2001:db8:1:2::ffff"), staffSignInAttempts, now) {
		t.Errorf("another address of a locked-out /64 may try; want it locked too")
	}
	if !st.mayTry(addressKey("2001:db8:1:3::1"), staffSignInAttempts, now) {
		t.Errorf("an address of another /64 may not try")
	}
}

func TestMessageInTooManyFramesClosesSocket(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	c, _ := dial(t, base)
	mask := []byte{1, 2, 3, 4}
	frame := func(first byte, payload string) []byte {
		b := []byte{first, 0x80 | byte(len(payload))}
		b = append(b, mask...)
		for i := range len(payload) {
			b = append(b, payload[i]^mask[i%4])
		}
		return b
	}
	// A text frame that is not the last, then empty continuation frames:
	// no bytes of payload, only headers, for ever.
	raw := frame(0x01, `{"type":"ask",`)
	for range 200000 {
		raw = append(raw, frame(0x00, "")...)
	}
	conn := c.ws.UnderlyingConn()
	go func() {
		conn.SetWriteDeadline(time.Now().Add(testTimeout))
		conn.Write(raw) // cut short by the server: the error says nothing
	}()
	c.ws.SetReadDeadline(time.Now().Add(testTimeout))
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
		t.Errorf("a message sent in 200,000 frames: read %v; want close 1009", err)
	}
}

func TestTamperedContextOverAPI(t *testing.T) {
	logs := &syncBuffer{}
	base := startHTTP(t, newTestServer(t, Config{Logger: slog.New(slog.NewTextHandler(logs, nil))}))
	// The token: {"t":["mistral"],"c":99}, unsigned.
	resp, body := postAsk(t, base, "", `{"q":"Et lui ?","context":"eyJ0IjpbIm1pc3RyYWwiXSwiYyI6OTl9"}`)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST /api/ask with a tampered context: %d %s; want 200, the question answered on its own", resp.StatusCode, body)
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("a tampered context panicked:\n%s", logs.String())
	}
}

func TestReplicasShareContextThroughTheSecret(t *testing.T) {
	ix, _ := mustEngine(t)
	key := []byte(strings.Repeat("s", 32))
	replica := func(secret []byte) string {
		return startHTTP(t, newTestServerWith(t, Config{}, chat.New(ix, chat.Options{Secret: secret})))
	}
	a, b, other := replica(key), replica(key), replica([]byte(strings.Repeat("o", 32)))
	ask := func(base, q, context string) chat.Answer {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"q": q, "context": context})
		resp, raw := postAsk(t, base, "", string(body))
		var ans chat.Answer
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(raw), &ans) != nil {
			t.Fatalf("POST %s/api/ask %q: %d %s", base, q, resp.StatusCode, raw)
		}
		return ans
	}
	first := ask(a, "Quel est le montant du contrat avec la SNCF ?", "")
	if first.Context == "" {
		t.Fatalf("first answer has no context")
	}
	same := ask(b, "Et pour combien d'années ?", first.Context)
	alone := ask(b, "Et pour combien d'années ?", "")
	foreign := ask(other, "Et pour combien d'années ?", first.Context)
	if len(same.Citations) == 0 || (len(alone.Citations) > 0 && same.Citations[0].ID == alone.Citations[0].ID && same.Kind == alone.Kind) {
		t.Errorf("a replica with the same secret ignored the context: %+v; alone %+v", same.Citations, alone.Citations)
	}
	if foreign.Kind != alone.Kind || len(foreign.Citations) != len(alone.Citations) ||
		(len(alone.Citations) > 0 && foreign.Citations[0].ID != alone.Citations[0].ID) {
		t.Errorf("a replica with another secret used the context: %v; want the answer without it, %v", foreign.Citations, alone.Citations)
	}
}

func TestFeedbackForUnknownTurnWithTheLog(t *testing.T) {
	f := newStaffFixture(t, "")
	c, _ := dial(t, f.URL)
	a := c.ask("m1", "Qui est le PDG de Mistral ?", "")
	c.send(map[string]string{"type": "feedback", "id": "x", "turn": newTurnID(), "value": "down"})
	if m := c.read(); m["code"] != "unknown_turn" {
		t.Errorf("feedback on a turn the log never saw: %v; want unknown_turn", m)
	}
	// From another socket, as after a reconnection: the turn is known.
	other, _ := dial(t, f.URL)
	other.send(map[string]string{"type": "feedback", "id": "y", "turn": a.Turn, "value": "up"})
	other.send(map[string]string{"type": "ask", "id": "m2", "text": "Qui a fondé Mistral ?"})
	if m := other.read(); m["type"] != "answer" {
		t.Errorf("feedback on a logged turn from another socket, then a question: %v; want the answer, no error", m)
	}
}
