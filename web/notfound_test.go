package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestNotFoundInFrench(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	tests := []struct {
		method, path string
		status       int
		want         string // in the body
	}{
		{"GET", "/nope", http.StatusNotFound, "Cette page n'existe pas."},
		{"GET", "/faq/question-1", http.StatusNotFound, `href="/"`},
		{"GET", "/api/ask", http.StatusMethodNotAllowed, "Méthode non autorisée"},
		{"POST", "/healthz", http.StatusMethodNotAllowed, "Méthode non autorisée"},
		{"POST", "/nope", http.StatusNotFound, "Cette page n'existe pas."},
		{"DELETE", "/", http.StatusMethodNotAllowed, "Méthode non autorisée"},
		{"GET", "/static/", http.StatusNotFound, "Cette page n'existe pas."},           // no listing
		{"GET", "/static/index.html", http.StatusNotFound, "Cette page n'existe pas."}, // templates are not assets
		{"GET", "/static/notfound.html", http.StatusNotFound, "Cette page n'existe pas."},
		{"GET", "/static/demo.html", http.StatusNotFound, "Cette page n'existe pas."},
		{"GET", "/static/app.js", http.StatusOK, "use strict"},
		{"GET", "/", http.StatusOK, `id="question"`},
		{"GET", "/healthz", http.StatusOK, `"status"`},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, base+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := do(t, req)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s %s: %d %.80q; want %d with %q", tt.method, tt.path, resp.StatusCode, body, tt.status, tt.want)
		}
		if tt.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without an Allow header", tt.method, tt.path)
		}
		if tt.status == http.StatusNotFound && resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: no Content-Security-Policy on the not-found page", tt.method, tt.path)
		}
	}
}

func TestBrowserNotFoundAccessible(t *testing.T) {
	ctx := newBrowser(t)
	base := startHTTP(t, newTestServer(t, Config{}))
	step(t, ctx, "open a mistyped address", chromedp.Navigate(base+"/questoins"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	checkAccessibility(t, ctx, "not found, light")
	step(t, ctx, "dark mode", setColorScheme("dark"))
	checkAccessibility(t, ctx, "not found, dark")
}
