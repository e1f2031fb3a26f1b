package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/causette/causette/chat"
)

func post(t *testing.T, url, origin, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return do(t, req)
}

func TestAPIAsk(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{Limits: Limits{APIRateBurst: 1000, APIRatePerSecond: 1000}}))
	tests := []struct {
		name, body string
		status     int
		code       string // error code, or "" for an answer
		cites      string // text the first citation holds
	}{
		{"question", `{"q":"Qui est le PDG de Mistral ?"}`, 200, "", "Arthur Mensch"},
		{"bad JSON", `{"q":`, 400, "bad_json", ""},
		{"empty", `{"q":"  "}`, 400, "empty", ""},
		{"too long", `{"q":"` + strings.Repeat("a", chat.MaxQuestionRunes+1) + `"}`, 400, "too_long", ""},
		{"invalid UTF-8", "{\"q\":\"Qui \xff ?\"}", 400, "invalid_text", ""},
		{"body too large", `{"q":"` + strings.Repeat("a", DefaultMaxBody) + `"}`, 413, "too_long", ""},
	}
	for _, tt := range tests {
		resp, body := post(t, base+"/api/ask", "", tt.body)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: POST /api/ask status %d (%s); want %d", tt.name, resp.StatusCode, body, tt.status)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q; want JSON", tt.name, ct)
		}
		if tt.code != "" {
			var e apiError
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Code != tt.code || e.Message == "" {
				t.Errorf("%s: error body %s; want code %q with a message", tt.name, body, tt.code)
			}
			continue
		}
		var a chat.Answer
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatalf("%s: answer %s: %v", tt.name, body, err)
		}
		if len(a.Citations) == 0 || !strings.Contains(a.Citations[0].Text, tt.cites) {
			t.Errorf("%s: answer cites %v; want a passage holding %q", tt.name, a.Citations, tt.cites)
		}
		if a.Context == "" {
			t.Errorf("%s: answer has no context token", tt.name)
		}
	}
}

// TestAPITooLongSaysTheLimit checks that a too-long question gets the same
// helpful French message, naming the limit, whether the body is read or not.
func TestAPITooLongSaysTheLimit(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{Limits: Limits{APIRateBurst: 1000, APIRatePerSecond: 1000}}))
	tests := []struct {
		name, body string
	}{
		{"question over the limit", `{"q":"` + strings.Repeat("a", chat.MaxQuestionRunes+1) + `"}`},
		{"body over --max-body", `{"q":"` + strings.Repeat("é", DefaultMaxBody) + `"}`},
	}
	for _, tt := range tests {
		_, body := post(t, base+"/api/ask", "", tt.body)
		var e apiError
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Message != chat.ErrTooLong.Message {
			t.Errorf("%s: error %s; want the message %q", tt.name, body, chat.ErrTooLong.Message)
		}
	}
}

func TestAPIAskFollowUp(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	_, body := post(t, base+"/api/ask", "", `{"q":"Quel est le modèle phare d'OpenAI ?"}`)
	var first chat.Answer
	if err := json.Unmarshal([]byte(body), &first); err != nil {
		t.Fatal(err)
	}
	req, _ := json.Marshal(map[string]string{"q": "Et celui de Google ?", "context": first.Context})
	_, body = post(t, base+"/api/ask", "", string(req))
	var second chat.Answer
	if err := json.Unmarshal([]byte(body), &second); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(second.Answer, "Bard") {
		t.Errorf("follow-up with context answers %q; want %q", second.Answer, "Bard")
	}
}

func TestAPIOriginAndRate(t *testing.T) {
	s := newTestServer(t, Config{AllowOrigins: []string{"https://partner.example"}, Limits: Limits{APIRateBurst: 2, APIRatePerSecond: 0.001}})
	base := startHTTP(t, s)
	const q = `{"q":"Bonjour"}`
	resp, _ := post(t, base+"/api/ask", "https://evil.example", q)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST from a foreign origin: status %d; want 403", resp.StatusCode)
	}
	resp, _ = post(t, base+"/api/ask", "https://partner.example", q)
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://partner.example" {
		t.Errorf("POST from an allowed origin: status %d, Access-Control-Allow-Origin %q; want 200 and the origin",
			resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	post(t, base+"/api/ask", "", q)
	resp, body := post(t, base+"/api/ask", "", q)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "rate_limited") {
		t.Errorf("third POST of a burst of 2: status %d %s; want 429 rate_limited", resp.StatusCode, body)
	}
}

func TestAPISearch(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	resp, body := get(t, base+"/api/search?q=PDG+Mistral&top=3", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/search status %d: %s", resp.StatusCode, body)
	}
	var out struct {
		Query    string `json:"query"`
		Passages []struct {
			ID         string   `json:"id"`
			Text       string   `json:"text"`
			Score      float64  `json:"score"`
			Highlights [][2]int `json:"highlights"`
		} `json:"passages"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("search body %s: %v", body, err)
	}
	if len(out.Passages) == 0 || len(out.Passages) > 3 {
		t.Fatalf("search for %q gave %d passages; want 1 to 3", out.Query, len(out.Passages))
	}
	for i, p := range out.Passages {
		if i > 0 && p.Score > out.Passages[i-1].Score {
			t.Errorf("passage %d scores %v above passage %d (%v); want ranked", i, p.Score, i-1, out.Passages[i-1].Score)
		}
	}
	top := out.Passages[0]
	if !strings.Contains(top.Text, "PDG") || len(top.Highlights) == 0 {
		t.Errorf("top passage %q with highlights %v; want the PDG passage with marked words", top.Text, top.Highlights)
	}
	runes := []rune(top.Text)
	for _, h := range top.Highlights {
		if h[0] < 0 || h[1] > len(runes) || h[0] >= h[1] {
			t.Errorf("highlight %v out of the %d code points of %q", h, len(runes), top.Text)
		}
	}
	for _, bad := range []string{"top=0", "top=x"} {
		if resp, _ := get(t, base+"/api/search?q=PDG&"+bad, nil); resp.StatusCode != 400 {
			t.Errorf("GET /api/search?%s status %d; want 400", bad, resp.StatusCode)
		}
	}
}

func TestHealthz(t *testing.T) {
	ok := func() (bool, any) { return true, map[string]int{"n": 1} }
	broken := func() (bool, any) { return false, map[string]string{"error": "disque plein"} }
	tests := []struct {
		name   string
		checks map[string]HealthCheck
		want   []string
	}{
		{"no component", nil, []string{`"status":"ok"`, `"passages":`, `"sockets":0`}},
		{"all ok", map[string]HealthCheck{"cache": ok}, []string{`"status":"ok"`, `"cache":{"n":1}`}},
		{"one failing", map[string]HealthCheck{"cache": ok, "disk": broken},
			[]string{`"status":"degraded"`, `"failing":["disk"]`, `"disk":{"error":"disque plein"}`, `"cache":{"n":1}`}},
	}
	for _, tt := range tests {
		base := startHTTP(t, newTestServer(t, Config{Health: tt.checks}))
		resp, body := get(t, base+"/healthz", nil)
		if resp.StatusCode != 200 {
			t.Errorf("%s: GET /healthz status %d; want 200 (the chat answers)", tt.name, resp.StatusCode)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: GET /healthz = %s; want %s in it", tt.name, body, w)
			}
		}
	}
	ix, eng := mustEngine(t)
	if _, err := NewServer(Config{Engine: eng, Index: ix, Health: map[string]HealthCheck{"status": ok}}); err == nil {
		t.Errorf("NewServer with a health check named status: no error; want the name refused")
	}
}

func TestSecurityHeaders(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	for _, path := range []string{"/", "/static/app.js", "/static/app.css", "/api/search?q=Mistral", "/healthz"} {
		resp, body := get(t, base+path, nil)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s status %d: %.80s", path, resp.StatusCode, body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("GET %s: Content-Security-Policy %q; want script-src 'self' and nothing unsafe", path, csp)
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("GET %s: %s %q; want %q", path, h, got, want)
			}
		}
	}
}

func TestPageHasNoInlineScriptOrStyle(t *testing.T) {
	page := string(indexPage)
	for _, bad := range []string{"<script>", "style=", "<style", "onclick", "onload", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html holds %q; want no inline script or style and no external resource", bad)
		}
	}
	js := string(mustRead(staticFS, "app.js"))
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js uses %q; want text inserted as text", bad)
		}
	}
}

func TestAllowOriginConfig(t *testing.T) {
	for _, bad := range []string{"partner.example", "ftp://partner.example", "https://partner.example/path"} {
		_, eng := mustEngine(t)
		ix, _ := mustEngine(t)
		if _, err := NewServer(Config{Engine: eng, Index: ix, AllowOrigins: []string{bad}}); err == nil {
			t.Errorf("NewServer with allowed origin %q: no error; want one", bad)
		}
	}
}
