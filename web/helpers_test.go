package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
	"github.com/gorilla/websocket"
)

// testTimeout bounds every wait of a test on the network.
const testTimeout = 10 * time.Second

var (
	engineOnce sync.Once
	testIx     *index.Index
	testEng    *chat.Engine
	engineErr  error
)

// mustEngine builds the seed index and engine once for the package.
func mustEngine(tb testing.TB) (*index.Index, *chat.Engine) {
	tb.Helper()
	engineOnce.Do(func() {
		if testIx, engineErr = index.Open(index.Options{}); engineErr == nil {
			testEng = chat.New(testIx, chat.Options{})
		}
	})
	if engineErr != nil {
		tb.Fatalf("building the seed engine: %v", engineErr)
	}
	return testIx, testEng
}

// quietLogger discards the server's log.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestServer returns a Server over the seed corpus with cfg's other fields.
func newTestServer(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	_, eng := mustEngine(tb)
	return newTestServerWith(tb, cfg, eng)
}

// newTestServerWith returns a Server over the seed corpus answered by eng.
func newTestServerWith(tb testing.TB, cfg Config, eng *chat.Engine) *Server {
	tb.Helper()
	cfg.Index, _ = mustEngine(tb)
	cfg.Engine = eng
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	s, err := NewServer(cfg)
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	return s
}

// startHTTP serves s with httptest and returns its URL.
func startHTTP(tb testing.TB, s *Server) string {
	tb.Helper()
	ts := httptest.NewServer(s.Handler())
	tb.Cleanup(ts.Close)
	tb.Cleanup(s.CloseSockets) // httptest.Server.Close waits for hijacked sockets otherwise
	return ts.URL
}

// serving is a Server running Serve on 127.0.0.1, as `causette serve` runs it.
type serving struct {
	URL    string
	stop   context.CancelFunc
	done   chan error
	server *Server
}

// startServe runs s.Serve on a fresh loopback port until the test ends or
// stop is called.
func startServe(tb testing.TB, s *Server) *serving {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	return startServeOn(tb, s, ln)
}

func startServeOn(tb testing.TB, s *Server, ln net.Listener) *serving {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sv := &serving{URL: "http://" + ln.Addr().String(), stop: cancel, done: make(chan error, 1), server: s}
	go func() { sv.done <- s.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case <-sv.done:
		case <-time.After(testTimeout):
			tb.Errorf("Serve did not return %v after its context ended", testTimeout)
		}
	})
	return sv
}

// Stop stops the server and waits for Serve to return.
func (sv *serving) Stop(tb testing.TB) {
	tb.Helper()
	sv.stop()
	select {
	case err := <-sv.done:
		if err != nil {
			tb.Errorf("Serve returned %v; want nil", err)
		}
		sv.done <- nil // for the cleanup
	case <-time.After(testTimeout):
		tb.Fatalf("Serve did not return %v after stop", testTimeout)
	}
}

// wsURL turns an http:// URL into the socket's ws:// URL.
func wsURL(httpURL string) string { return "ws" + strings.TrimPrefix(httpURL, "http") + "/ws" }

// dialStatus opens a socket at url with an Origin header (none when origin
// is ""), closes it, and returns the handshake's HTTP status.
func dialStatus(tb testing.TB, url, origin string) int {
	tb.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	ws, resp, err := websocket.DefaultDialer.Dial(url, h)
	if ws != nil {
		ws.Close()
	}
	if resp == nil {
		tb.Fatalf("dial %s with Origin %q: no response: %v", url, origin, err)
	}
	return resp.StatusCode
}

// client is a test's end of a socket.
type client struct {
	tb testing.TB
	ws *websocket.Conn
}

// dial opens a socket and reads the hello.
func dial(tb testing.TB, base string) (*client, map[string]any) {
	tb.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(wsURL(base), nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		tb.Fatalf("dial %s: %v (status %d)", wsURL(base), err, status)
	}
	tb.Cleanup(func() { ws.Close() })
	c := &client{tb: tb, ws: ws}
	hello := c.read()
	if hello["type"] != "hello" {
		tb.Fatalf("first message is %v; want a hello", hello)
	}
	return c, hello
}

// send writes v as a JSON text frame.
func (c *client) send(v any) {
	c.tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		c.tb.Fatal(err)
	}
	c.sendRaw(websocket.TextMessage, data)
}

func (c *client) sendRaw(typ int, data []byte) {
	c.tb.Helper()
	c.ws.SetWriteDeadline(time.Now().Add(testTimeout))
	if err := c.ws.WriteMessage(typ, data); err != nil {
		c.tb.Fatalf("write %q: %v", data, err)
	}
}

// read reads one JSON message.
func (c *client) read() map[string]any {
	c.tb.Helper()
	c.ws.SetReadDeadline(time.Now().Add(testTimeout))
	typ, data, err := c.ws.ReadMessage()
	if err != nil {
		c.tb.Fatalf("read: %v", err)
	}
	if typ != websocket.TextMessage {
		c.tb.Fatalf("read a frame of type %d; want text", typ)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		c.tb.Fatalf("read %q: %v", data, err)
	}
	return m
}

// answer is an answer message decoded.
type answer struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Turn string `json:"turn"`
	chat.Answer
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ask sends a question and reads the next message.
func (c *client) ask(id, text, context string) answer {
	c.tb.Helper()
	c.send(map[string]string{"type": "ask", "id": id, "text": text, "context": context})
	return c.readAnswer()
}

func (c *client) readAnswer() answer {
	c.tb.Helper()
	m := c.read()
	data, _ := json.Marshal(m)
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		c.tb.Fatalf("decode %s: %v", data, err)
	}
	return a
}

// get fetches url and returns the response with its body read.
func get(tb testing.TB, url string, header http.Header) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return do(tb, req)
}

func do(tb testing.TB, req *http.Request) (*http.Response, string) {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, string(body)
}

// assetURL is the hashed address of the file name of set, as the pages
// name it.
func assetURL(tb testing.TB, set *assetSet, name string) string {
	tb.Helper()
	u, err := set.url(name)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// corpusIndex writes files into a temporary corpus folder and opens its
// index, closed when the test ends.
func corpusIndex(tb testing.TB, files map[string]string) *index.Index {
	tb.Helper()
	dir := tb.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	ix, err := index.Open(index.Options{Corpus: dir})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// serveLocal serves cfg (with generous limits and a quiet log unless set)
// on 127.0.0.1, as `causette serve` does.
func serveLocal(tb testing.TB, cfg Config) *serving {
	tb.Helper()
	if cfg.Limits == (Limits{}) {
		cfg.Limits = generous
	}
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	s, err := NewServer(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return startServeOn(tb, s, ln)
}
