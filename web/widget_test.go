package web

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// widgetServer starts a Causette server over the seed corpus that lets the
// given origins embed the widget.
func widgetServer(tb testing.TB, allow ...string) *httptest.Server {
	tb.Helper()
	return widgetServerWith(tb, nil, allow...)
}

// widgetServerWith is widgetServer with its handler wrapped by wrap.
func widgetServerWith(tb testing.TB, wrap func(http.Handler) http.Handler, allow ...string) *httptest.Server {
	tb.Helper()
	ix, eng := mustEngine(tb)
	srv, err := NewServer(Config{Engine: eng, Index: ix, AllowOrigins: allow,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	h := srv.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts
}

func widgetGet(tb testing.TB, url string) (*http.Response, string) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	return resp, string(body)
}

func TestEmbedFrameAncestors(t *testing.T) {
	const site = "https://www.exemple.fr"
	ts := widgetServer(t, site, "https://autre.exemple.org")
	tests := []struct {
		origin     string
		denied     bool
		ancestors  string
		wantInPage string
	}{
		{site, false, "frame-ancestors 'self' https://autre.exemple.org https://www.exemple.fr", `data-origin="https://www.exemple.fr"`},
		{"HTTPS://WWW.EXEMPLE.FR/", false, "frame-ancestors 'self' https://autre.exemple.org https://www.exemple.fr", `data-origin="https://www.exemple.fr"`},
		{ts.URL, false, "frame-ancestors 'self' ", `id="log"`},
		{"https://pirate.example", true, "frame-ancestors *", "Ce site n&#39;est pas autorisé à afficher Causette."},
		{"", true, "frame-ancestors *", "--allow-origin"},
		{"javascript:alert(1)", true, "frame-ancestors *", `data-denied="true"`},
	}
	for _, tt := range tests {
		resp, body := widgetGet(t, ts.URL+"/embed?origin="+strings.ReplaceAll(tt.origin, ":", "%3A"))
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, tt.ancestors) {
			t.Errorf("/embed?origin=%q: CSP %q; want %q", tt.origin, csp, tt.ancestors)
		}
		if strings.Count(csp, "frame-ancestors") != 1 {
			t.Errorf("/embed?origin=%q: CSP %q has not one frame-ancestors", tt.origin, csp)
		}
		if xfo := resp.Header.Get("X-Frame-Options"); xfo != "" {
			t.Errorf("/embed?origin=%q: X-Frame-Options %q; want none (frame-ancestors decides)", tt.origin, xfo)
		}
		if got := strings.Contains(body, `data-denied="true"`); got != tt.denied {
			t.Errorf("/embed?origin=%q: denied %v; want %v", tt.origin, got, tt.denied)
		}
		if !strings.Contains(body, tt.wantInPage) {
			t.Errorf("/embed?origin=%q: page lacks %q", tt.origin, tt.wantInPage)
		}
		if tt.denied && strings.Contains(body, `id="question"`) {
			t.Errorf("/embed?origin=%q: refusal page has a question box", tt.origin)
		}
	}
}

func TestEmbedEscapesSiteText(t *testing.T) {
	ts := widgetServer(t)
	_, body := widgetGet(t, ts.URL+"/embed?origin="+ts.URL+"&title=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E")
	if strings.Contains(body, "<img") {
		t.Errorf("/embed title inserted as HTML: %s", body)
	}
}

func TestWidgetRoutes(t *testing.T) {
	ts := widgetServer(t)
	tests := []struct {
		path, header, want string
	}{
		{"/widget.js", "Content-Type", "text/javascript"},
		{"/widget.js", "Cross-Origin-Resource-Policy", "cross-origin"},
		{"/widget.js", "Cache-Control", "max-age=300"},
		{"/demo", "Content-Security-Policy", "frame-src 'self'"},
		{"/demo", "Content-Security-Policy", "frame-ancestors 'none'"},
		{"/static/app.js", "Content-Type", "javascript"},
	}
	for _, tt := range tests {
		resp, _ := widgetGet(t, ts.URL+tt.path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d; want 200", tt.path, resp.StatusCode)
		}
		if got := resp.Header.Get(tt.header); !strings.Contains(got, tt.want) {
			t.Errorf("GET %s: %s %q; want it to hold %q", tt.path, tt.header, got, tt.want)
		}
	}
	_, demo := widgetGet(t, ts.URL+"/demo")
	if !strings.Contains(demo, `&lt;script src="`+ts.URL+`/widget.js"`) {
		t.Errorf("/demo does not show the snippet with this server's origin")
	}
	// The API's example asks a question of the corpus served.
	_, eng := mustEngine(t)
	if q := html.EscapeString(eng.Starters()[0]); !strings.Contains(demo, `data-q="`+q+`"`) {
		t.Errorf("/demo's example does not ask the corpus's first starter %q", q)
	}
}

func TestWidgetSocketOrigin(t *testing.T) {
	const site = "http://site-autorise.example"
	ts := widgetServer(t, site)
	sock := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	tests := []struct {
		origin string
		want   int
	}{
		{site, http.StatusSwitchingProtocols},
		{ts.URL, http.StatusSwitchingProtocols},
		{"http://site-inconnu.example", http.StatusForbidden},
	}
	for _, tt := range tests {
		if got := dialStatus(t, sock, tt.origin); got != tt.want {
			t.Errorf("dial with Origin %s: status %d; want %d", tt.origin, got, tt.want)
		}
	}
}

func TestWithDirective(t *testing.T) {
	tests := []struct{ policy, directive, want string }{
		{"default-src 'none'; frame-ancestors 'none'", "frame-ancestors *", "default-src 'none'; frame-ancestors *"},
		{"default-src 'none'", "frame-src 'self'", "default-src 'none'; frame-src 'self'"},
		{"frame-src-elem x; frame-src y;", "frame-src 'self'", "frame-src-elem x; frame-src 'self'"},
	}
	for _, tt := range tests {
		if got := withDirective(tt.policy, tt.directive); got != tt.want {
			t.Errorf("withDirective(%q, %q) = %q; want %q", tt.policy, tt.directive, got, tt.want)
		}
	}
}
