package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestStaffAssets(t *testing.T) {
	f := newStaffFixture(t, "")
	good := f.session(t)
	tests := []struct {
		path        string
		without     int // status without a session
		with        int // status with one
		contentType string
	}{
		// The visitors' static files never hold the staff's.
		{"/static/staff.js", 404, 404, ""},
		{"/static/staff.css", 404, 404, ""},
		{"/static/passage.js", 404, 404, ""},
		{"/static/signin.js", 404, 404, ""},
		{"/static/theme.css", 404, 404, ""},
		{"/static/staff.html", 404, 404, ""},
		{"/static/signin.html", 404, 404, ""},
		{"/static/passage.html", 404, 404, ""},
		// The console's script and style need a session.
		{"/staff/assets/staff.js", 401, 200, "text/javascript"},
		{"/staff/assets/staff.css", 401, 200, "text/css"},
		{"/staff/assets/passage.js", 401, 200, "text/javascript"},
		// The sign-in page's are public.
		{"/staff/public/signin.js", 200, 200, "text/javascript"},
		{"/staff/public/theme.css", 200, 200, "text/css"},
		// Templates are not files to serve; neither is the other side's.
		{"/staff/assets/staff.html", 401, 404, ""},
		{"/staff/assets/signin.js", 401, 404, ""},
		{"/staff/public/staff.js", 404, 404, ""},
		{"/staff/public/signin.html", 404, 404, ""},
		{"/staff/public/..%2fstaff.js", 404, 404, ""},
		// Under their hashed names alike, each on its own side only.
		{assetURL(t, staffConsoleAssets, "staff.js"), 401, 200, "text/javascript"},
		{assetURL(t, staffPublicAssets, "signin.js"), 200, 200, "text/javascript"},
		{"/staff/public/" + staffConsoleAssets.get("staff.js").hashed, 404, 404, ""},
		{"/static/" + staffConsoleAssets.get("staff.js").hashed, 404, 404, ""},
	}
	for _, tt := range tests {
		for _, c := range []*http.Cookie{nil, good} {
			want, who := tt.without, "without a session"
			if c != nil {
				want, who = tt.with, "with a session"
			}
			resp, body := f.get(t, tt.path, c)
			if resp.StatusCode != want {
				t.Errorf("GET %s %s: status %d; want %d", tt.path, who, resp.StatusCode, want)
				continue
			}
			if want != 200 {
				continue
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("GET %s %s: Content-Type %q; want %s", tt.path, who, ct, tt.contentType)
			}
			if len(body) == 0 {
				t.Errorf("GET %s %s: empty body", tt.path, who)
			}
		}
	}
}

// TestStaffPagesLinkTheirAssets checks that every staff page loads its
// script and style from the staff paths, none from /static/.
func TestStaffPagesLinkTheirAssets(t *testing.T) {
	f := newStaffFixture(t, "")
	good := f.session(t)
	theme, style := assetURL(t, staffPublicAssets, "theme.css"), assetURL(t, staffConsoleAssets, "staff.css")
	tests := []struct {
		path string
		want []string
	}{
		{"/staff/signin", []string{`href="` + theme + `"`, `src="` + assetURL(t, staffPublicAssets, "signin.js") + `"`}},
		{"/staff", []string{`href="` + theme + `"`, `href="` + style + `"`, `src="` + assetURL(t, staffConsoleAssets, "staff.js") + `"`}},
		{"/p/mistral-ai%23p3", []string{`href="` + theme + `"`, `href="` + style + `"`, `src="` + assetURL(t, staffConsoleAssets, "passage.js") + `"`}},
	}
	for _, tt := range tests {
		_, body := f.get(t, tt.path, good)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: page lacks %s", tt.path, w)
			}
		}
		if strings.Contains(body, "/static/") {
			t.Errorf("GET %s: page loads from /static/; want the staff paths only", tt.path)
		}
	}
}
