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
	tests := []struct {
		page, icon string
	}{
		{"/", assetURL(t, staticAssets, "favicon.svg")},
		{"/nope", assetURL(t, staticAssets, "favicon.svg")},
		{"/staff/signin", assetURL(t, staffPublicAssets, "favicon.svg")}, // staff pages load nothing from /static/
	}
	for _, tt := range tests {
		link := `<link rel="icon" href="` + tt.icon + `" type="image/svg+xml">`
		resp, body := get(t, f.URL+tt.page, nil)
		if !strings.Contains(body, link) {
			t.Errorf("GET %s (%d): no %s", tt.page, resp.StatusCode, link)
		}
		resp, body = get(t, f.URL+tt.icon, nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/svg+xml") || !strings.Contains(body, "<svg") {
			t.Errorf("GET %s: %d %s; want the SVG icon", tt.icon, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
