package web

import (
	"strings"
	"testing"
)

// TestPagesHaveIcon checks that the visitors' and staff pages name Causette's
// icon, so that browsers show it in the tab rather than ask for a missing
// /favicon.ico.
func TestPagesHaveIcon(t *testing.T) {
	f := newStaffFixture(t, "")
	const link = `<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">`
	for _, path := range []string{"/", "/nope", "/staff/signin"} {
		resp, body := get(t, f.URL+path, nil)
		if !strings.Contains(body, link) {
			t.Errorf("GET %s (%d): no %s", path, resp.StatusCode, link)
		}
	}
	resp, body := get(t, f.URL+"/static/favicon.svg", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/svg+xml") || !strings.Contains(body, "<svg") {
		t.Errorf("GET /static/favicon.svg: %d %s; want the SVG icon", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
