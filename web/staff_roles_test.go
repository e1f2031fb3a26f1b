package web

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/causette/causette/web/questionlog"
)

// staffRouteCase is one console route and what each of no session, a
// lecture session and an édition session gets from it.
type staffRouteCase struct {
	pattern string // as Staff.routes registers it
	method  string
	path    string
	body    string // JSON, for the changing routes
	want    [3]int // without a session, lecture, édition
}

// staffRouteCases are every route of Staff.routes. Pages redirect without
// a session, APIs answer 401, changing APIs 403 to lecture. {id} is the
// entry made for the test. Sign-out comes last: it ends the sessions.
var staffRouteCases = []staffRouteCase{
	{"GET /staff/signin", "GET", "/staff/signin", "", [3]int{200, 200, 200}},
	{"POST /staff/signin", "POST", "/staff/signin", "", [3]int{401, 401, 401}},
	{"GET /staff/{$}", "GET", "/staff/", "", [3]int{303, 200, 200}},
	{"GET /staff", "GET", "/staff", "", [3]int{303, 200, 200}},
	{"GET /p/{id...}", "GET", "/p/mistral-ai%23p3", "", [3]int{303, 200, 200}},
	{"GET /staff/api/search", "GET", "/staff/api/search?q=mistral", "", [3]int{401, 200, 200}},
	{"GET /staff/api/log/{view}", "GET", "/staff/api/log/unanswered", "", [3]int{401, 200, 200}},
	{"GET /healthz/log", "GET", "/healthz/log", "", [3]int{200, 200, 200}},
	{"GET /staff/api/health", "GET", "/staff/api/health", "", [3]int{401, 200, 200}},
	{"GET /staff/api/me", "GET", "/staff/api/me", "", [3]int{401, 200, 200}},
	{"GET /staff/api/entries", "GET", "/staff/api/entries", "", [3]int{401, 200, 200}},
	{"POST /staff/api/entries", "POST", "/staff/api/entries", `{"question":"Où garer son vélo ?","answer":"Devant la mairie.","enabled":true}`, [3]int{401, 403, 201}},
	{"PUT /staff/api/entries/{id}", "PUT", "/staff/api/entries/{id}", `{"question":"Où garer son vélo ?","answer":"À la gare.","enabled":true}`, [3]int{401, 403, 200}},
	{"DELETE /staff/api/entries/{id}", "DELETE", "/staff/api/entries/{id}", "", [3]int{401, 403, 204}},
	{"GET /staff/public/{file}", "GET", "/staff/public/theme.css", "", [3]int{200, 200, 200}},
	{"GET /staff/assets/{file}", "GET", "/staff/assets/staff.js", "", [3]int{401, 200, 200}},
	{"POST /staff/signout", "POST", "/staff/signout", "", [3]int{303, 303, 303}},
}

// TestStaffRoutesByRole checks every console route against no session, a
// lecture session and an édition session.
func TestStaffRoutesByRole(t *testing.T) {
	f := newStaffFixture(t, "")
	sessions := []*http.Cookie{nil, f.sessionAs(t, questionlog.RoleRead), f.sessionAs(t, questionlog.RoleEdit)}
	who := []string{"without a session", "as lecture", "as édition"}
	entry, err := f.Log.SaveEntry(context.Background(), questionlog.Entry{Question: "Q ?", Answer: "R.", Enabled: true}, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range staffRouteCases {
		path := strings.Replace(rc.path, "{id}", itoa64(entry.ID), 1)
		for i, c := range sessions {
			req, err := http.NewRequest(rc.method, f.URL+path, strings.NewReader(rc.body))
			if err != nil {
				t.Fatal(err)
			}
			if rc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if c != nil {
				req.AddCookie(c)
			}
			resp, body := sendNoRedirect(t, req)
			if resp.StatusCode != rc.want[i] {
				t.Errorf("%s %s %s: %d; want %d\n%.200s", rc.method, path, who[i], resp.StatusCode, rc.want[i], body)
				continue
			}
			switch resp.StatusCode {
			case http.StatusSeeOther:
				if loc := resp.Header.Get("Location"); c == nil && !strings.HasPrefix(loc, "/staff/signin") {
					t.Errorf("%s %s %s: to %q; want the sign-in page", rc.method, path, who[i], loc)
				}
			case http.StatusUnauthorized:
				if strings.HasPrefix(rc.path, "/staff/api/") && !strings.Contains(body, `"unauthorized"`) {
					t.Errorf("%s %s %s: %q; want the unauthorized error", rc.method, path, who[i], body)
				}
			case http.StatusForbidden:
				var e apiError
				if json.Unmarshal([]byte(body), &e) != nil || e.Code != "read_only" || !strings.Contains(e.Message, "lecture seule") {
					t.Errorf("%s %s %s: %q; want the French read_only error", rc.method, path, who[i], body)
				}
			}
		}
	}
	// The sign-out row ended both sessions.
	for i, c := range sessions[1:] {
		if resp, _ := f.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("after sign-out, the session %s gets %d; want 401", who[i+1], resp.StatusCode)
		}
	}
}

// TestStaffRouteCasesCoverEveryRoute fails when a console route is
// registered without its row in staffRouteCases.
func TestStaffRouteCasesCoverEveryRoute(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`mux\.HandleFunc\("([A-Z]+ (?:/staff|/p/|/healthz/log)[^"]*)"`)
	covered := map[string]bool{}
	for _, rc := range staffRouteCases {
		covered[rc.pattern] = true
	}
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			found++
			if !covered[m[1]] {
				t.Errorf("%s registers %q: add its row to staffRouteCases", name, m[1])
			}
		}
	}
	if found < len(staffRouteCases) {
		t.Errorf("found %d console routes in the sources; want at least the %d of staffRouteCases", found, len(staffRouteCases))
	}
}

// TestStaffEntryRecordsAccount checks that an entry saved through the API
// names the account that saved it, and the bootstrap token's session
// names itself.
func TestStaffEntryRecordsAccount(t *testing.T) {
	for _, tt := range []struct {
		name  string
		token bool
		want  string
	}{{"account", false, staffTestName(questionlog.RoleEdit)}, {"token", true, bootstrapAccount}} {
		f := newStaffFixture(t, "")
		var c *http.Cookie
		if tt.token {
			c = f.session(t)
		} else {
			c = f.sessionAs(t, questionlog.RoleEdit)
		}
		req, _ := http.NewRequest("POST", f.URL+"/staff/api/entries", strings.NewReader(`{"question":"Où garer son vélo ?","answer":"Devant la mairie.","enabled":true}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(c)
		resp, body := sendNoRedirect(t, req)
		var saved questionlog.Entry
		json.Unmarshal([]byte(body), &saved)
		if resp.StatusCode != http.StatusCreated || saved.CreatedBy != tt.want || saved.UpdatedBy != tt.want {
			t.Errorf("%s: POST an entry: %d, created by %q, updated by %q; want 201 by %q", tt.name, resp.StatusCode, saved.CreatedBy, saved.UpdatedBy, tt.want)
		}
	}
}

// TestConsolePageKnowsRole checks that the console page carries the role
// and names the account, as text.
func TestConsolePageKnowsRole(t *testing.T) {
	f := newStaffFixture(t, "")
	for _, role := range []string{questionlog.RoleRead, questionlog.RoleEdit} {
		resp, body := f.get(t, "/staff", f.sessionAs(t, role))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<body data-role="`+role+`">`) ||
			!strings.Contains(body, staffTestName(role)+" <span class=\"role\">") {
			t.Errorf("console as %s: %d; want data-role=%q and the account's name\n%.600s", role, resp.StatusCode, role, body)
		}
		_, me := f.get(t, "/staff/api/me", f.sessionAs(t, role))
		if want := `"role":"` + role + `"`; !strings.Contains(me, want) {
			t.Errorf("/staff/api/me as %s: %s; want %s", role, me, want)
		}
	}
}
