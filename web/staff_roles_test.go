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
	"time"

	"github.com/causette/causette/web/store"
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
// a session, APIs answer 401, changing APIs 403 to lecture. {id},
// {request} and {attachment} are the entry, visitor's request and attached
// phrasing made for the test. Sign-out comes last: it ends the sessions.
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
	{"GET /staff/api/requests", "GET", "/staff/api/requests", "", [3]int{401, 200, 200}},
	{"PATCH /staff/api/requests/{id}", "PATCH", "/staff/api/requests/{request}", `{"status":"in_progress"}`, [3]int{401, 403, 200}},
	{"DELETE /staff/api/requests/{id}", "DELETE", "/staff/api/requests/{request}", "", [3]int{401, 403, 204}},
	{"GET /staff/api/attachments", "GET", "/staff/api/attachments", "", [3]int{401, 200, 200}},
	{"POST /staff/api/attachments", "POST", "/staff/api/attachments", `{"passage":"mistral-ai#p3","phrasings":["qui a lancé la start-up"]}`, [3]int{401, 403, 201}},
	{"DELETE /staff/api/attachments/{id}", "DELETE", "/staff/api/attachments/{attachment}", "", [3]int{401, 403, 204}},
	{"GET /staff/api/suggestions", "GET", "/staff/api/suggestions", "", [3]int{401, 200, 200}},
	{"POST /staff/api/suggestions/reject", "POST", "/staff/api/suggestions/reject", `{"passage":"mistral-ai#p3","phrasings":["qui a créé la start-up"]}`, [3]int{401, 403, 204}},
	{"GET /staff/comptes", "GET", "/staff/comptes", "", [3]int{303, 403, 200}},
	{"GET /staff/api/accounts", "GET", "/staff/api/accounts", "", [3]int{401, 403, 200}},
	{"POST /staff/api/accounts", "POST", "/staff/api/accounts", `{"name":"nouveau","role":"lecture","password":"un-mot-de-passe-neuf"}`, [3]int{401, 403, 201}},
	{"PUT /staff/api/accounts/{name}", "PUT", "/staff/api/accounts/nouveau", `{"role":"édition"}`, [3]int{401, 403, 204}},
	{"DELETE /staff/api/accounts/{name}", "DELETE", "/staff/api/accounts/nouveau", "", [3]int{401, 403, 204}},
	{"GET /staff/public/{file}", "GET", "/staff/public/theme.css", "", [3]int{200, 200, 200}},
	{"GET /staff/assets/{file}", "GET", "/staff/assets/staff.js", "", [3]int{401, 200, 200}},
	{"POST /staff/signout", "POST", "/staff/signout", "", [3]int{303, 303, 303}},
}

// TestStaffRoutesByRole checks every console route against no session, a
// lecture session and an édition session.
func TestStaffRoutesByRole(t *testing.T) {
	f := newStaffFixture(t, "")
	sessions := []*http.Cookie{nil, f.sessionAs(t, store.RoleRead), f.sessionAs(t, store.RoleEdit)}
	who := []string{"without a session", "as lecture", "as édition"}
	entry, err := f.Log.SaveEntry(context.Background(), store.Entry{Question: "Q ?", Answer: "R.", Enabled: true}, "test")
	if err != nil {
		t.Fatal(err)
	}
	request, err := f.Log.AddRequest(context.Background(), store.Request{Time: time.Now(), Message: "Bonjour, une question."}, false)
	if err != nil {
		t.Fatal(err)
	}
	attached, err := f.Log.Attach(context.Background(), []store.Attachment{{Phrasing: "qui a fondé la start-up",
		Passage: "mistral-ai#p3", Doc: "mistral-ai", Fingerprint: "f", Excerpt: "…"}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	ids := strings.NewReplacer("{id}", itoa64(entry.ID), "{request}", itoa64(request.ID), "{attachment}", itoa64(attached[0].ID))
	for _, rc := range staffRouteCases {
		path := ids.Replace(rc.path)
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
				if !strings.HasPrefix(rc.path, "/staff/api/") {
					if !strings.Contains(body, "seul un compte en édition") {
						t.Errorf("%s %s %s: %.300q; want a page saying only édition accounts may", rc.method, path, who[i], body)
					}
				} else if json.Unmarshal([]byte(body), &e) != nil || e.Code != "read_only" || !strings.Contains(e.Message, "lecture seule") {
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
	}{{"account", false, staffTestName(store.RoleEdit)}, {"token", true, bootstrapAccount}} {
		f := newStaffFixture(t, "")
		var c *http.Cookie
		if tt.token {
			c = f.session(t)
		} else {
			c = f.sessionAs(t, store.RoleEdit)
		}
		req, _ := http.NewRequest("POST", f.URL+"/staff/api/entries", strings.NewReader(`{"question":"Où garer son vélo ?","answer":"Devant la mairie.","enabled":true}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(c)
		resp, body := sendNoRedirect(t, req)
		var saved store.Entry
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
	for _, role := range []string{store.RoleRead, store.RoleEdit} {
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

// TestStaffAccountsAPI checks the « Comptes » API's answers: the account
// made, its role changed, and the refusals with their French reasons.
func TestStaffAccountsAPI(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.sessionAs(t, store.RoleEdit)
	send := func(method, path, body string) (int, string) {
		t.Helper()
		return f.sendJSON(t, c, method, path, body)
	}
	tests := []struct {
		method, path, body string
		want               int
		says               string
	}{
		{"POST", "/staff/api/accounts", `{"name":"Lise","password":"un-mot-de-passe-neuf"}`, 201, `"name":"lise","role":"lecture"`},
		{"POST", "/staff/api/accounts", `{"name":"lise","password":"un-mot-de-passe-neuf"}`, 409, "existe déjà"},
		{"POST", "/staff/api/accounts", `{"name":"l","password":"un-mot-de-passe-neuf"}`, 400, "de 2 à 32 caractères"},
		{"POST", "/staff/api/accounts", `{"name":"lise2","password":"court"}`, 400, "au moins 12 caractères"},
		{"POST", "/staff/api/accounts", `pas du json`, 400, "JSON"},
		{"PUT", "/staff/api/accounts/lise", `{}`, 400, "Donnez un rôle ou un mot de passe"},
		{"PUT", "/staff/api/accounts/personne", `{"role":"lecture"}`, 404, "n’existe pas"},
		{"PUT", "/staff/api/accounts/" + staffTestName(store.RoleEdit), `{"role":"lecture"}`, 409, "dernier compte en édition"},
		{"DELETE", "/staff/api/accounts/" + staffTestName(store.RoleEdit), ``, 409, "dernier compte en édition"},
		{"GET", "/staff/api/accounts", ``, 200, `"name":"lise"`},
	}
	for _, tt := range tests {
		code, body := send(tt.method, tt.path, tt.body)
		if code != tt.want || !strings.Contains(body, tt.says) {
			t.Errorf("%s %s %s: %d %s; want %d saying %q", tt.method, tt.path, tt.body, code, body, tt.want, tt.says)
		}
		if strings.Contains(body, "argon2") {
			t.Errorf("%s %s: the answer shows a password hash: %s", tt.method, tt.path, body)
		}
	}
	if code, _ := send("PUT", "/staff/api/accounts/lise", `{"password":"encore-un-autre-mot"}`); code != http.StatusNoContent {
		t.Fatalf("new password for lise: %d; want 204", code)
	}
	if resp, _ := f.signInAs(t, "lise", "encore-un-autre-mot", ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("lise with her new password: %d; want 303", resp.StatusCode)
	}
	if got, _ := f.Log.StaffAccount(context.Background(), "lise"); got.CreatedBy != staffTestName(store.RoleEdit) {
		t.Errorf("lise created by %q; want the account that made her", got.CreatedBy)
	}
}

// TestStaffAccountsAPIAnswers checks that an account added is answered as
// stored (dates, who made it), and that a change refused for its password
// leaves the role unchanged.
func TestStaffAccountsAPIAnswers(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.sessionAs(t, store.RoleEdit)
	send := func(method, path, body string) (int, string) {
		t.Helper()
		return f.sendJSON(t, c, method, path, body)
	}
	code, body := send("POST", "/staff/api/accounts", `{"name":"lise","role":"édition","password":"un-mot-de-passe-neuf"}`)
	var got store.StaffAccount
	if err := json.Unmarshal([]byte(body), &got); code != http.StatusCreated || err != nil {
		t.Fatalf("POST lise: %d %s (%v); want 201 with the account", code, body, err)
	}
	stored, err := f.Log.StaffAccount(context.Background(), "lise")
	if err != nil {
		t.Fatal(err)
	}
	if got.Created.IsZero() || !got.Created.Equal(stored.Created) || !got.Updated.Equal(stored.Updated) ||
		got.CreatedBy != staffTestName(store.RoleEdit) || got.UpdatedBy != stored.UpdatedBy {
		t.Errorf("POST lise answered %+v; want the stored account %+v", got, stored)
	}
	code, body = send("PUT", "/staff/api/accounts/lise", `{"role":"lecture","password":"court"}`)
	if code != http.StatusBadRequest || !strings.Contains(body, "au moins 12 caractères") {
		t.Errorf("PUT lise with a short password: %d %s; want 400 saying « au moins 12 caractères »", code, body)
	}
	if a, _ := f.Log.StaffAccount(context.Background(), "lise"); a.Role != store.RoleEdit || a.Hash != stored.Hash {
		t.Errorf("after the refused change lise is %q (hash changed: %v); want édition, unchanged", a.Role, a.Hash != stored.Hash)
	}
	if code, _ := send("PUT", "/staff/api/accounts/lise", `{"role":"admin","password":"un-autre-mot-de-passe"}`); code != http.StatusBadRequest {
		t.Errorf("PUT lise with an unknown role: %d; want 400", code)
	}
	if a, _ := f.Log.StaffAccount(context.Background(), "lise"); a.Hash != stored.Hash {
		t.Errorf("a change refused for its role changed the password")
	}
	if code, _ := send("PUT", "/staff/api/accounts/lise", `{"role":"lecture","password":"un-autre-mot-de-passe"}`); code != http.StatusNoContent {
		t.Errorf("PUT lise with both right: %d; want 204", code)
	}
	if a, _ := f.Log.StaffAccount(context.Background(), "lise"); a.Role != store.RoleRead || a.Hash == stored.Hash {
		t.Errorf("after the change lise is %q (hash changed: %v); want lecture and a new hash", a.Role, a.Hash != stored.Hash)
	}
}

// sendJSON sends body as JSON to path with the session cookie c, without
// following redirects, and returns the status and body.
func (f *staffFixture) sendJSON(t *testing.T, c *http.Cookie, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c)
	resp, b := sendNoRedirect(t, req)
	return resp.StatusCode, b
}
