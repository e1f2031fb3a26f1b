package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/web/store"
)

// TestStaffSessionsInDatabase checks that a session outlives its server (a
// new Staff on the same database lets it in), that the database keeps the
// id's hash only, and that signing out on one server ends it on the other.
func TestStaffSessionsInDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "causette.db")
	first := newStaffFixture(t, db)
	c := first.sessionAs(t, store.RoleRead)
	second := newStaffFixture(t, db)
	if resp, body := second.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusOK || !strings.Contains(body, staffTestName(store.RoleRead)) {
		t.Fatalf("the session on a new server over the same database: %d %s; want 200 naming the account", resp.StatusCode, body)
	}
	ctx := context.Background()
	if _, err := first.Log.StaffSession(ctx, c.Value, first.clock.Now()); !errors.Is(err, store.ErrNoStaffSession) {
		t.Errorf("the session is found under its cookie's id: %v; want it kept under its hash only", err)
	}
	if _, err := first.Log.StaffSession(ctx, sessionHash(c.Value), first.clock.Now()); err != nil {
		t.Errorf("the session under its hash: %v", err)
	}
	req, _ := http.NewRequest("POST", first.URL+"/staff/signout", nil)
	req.AddCookie(c)
	if resp, _ := sendNoRedirect(t, req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %d; want 303", resp.StatusCode)
	}
	if _, err := second.Log.StaffSession(ctx, sessionHash(c.Value), second.clock.Now()); !errors.Is(err, store.ErrNoStaffSession) {
		t.Errorf("after sign-out the session's row: %v; want it gone", err)
	}
	if resp, _ := second.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed out on one server, the session gets %d on the other; want 401", resp.StatusCode)
	}
}

// TestStaffSessionExpires checks that a session is refused past
// staffSessionTTL, and not before.
func TestStaffSessionExpires(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.sessionAs(t, store.RoleEdit)
	f.clock.Add(staffSessionTTL - time.Second)
	if resp, _ := f.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusOK {
		t.Errorf("just before expiry: %d; want 200", resp.StatusCode)
	}
	f.clock.Add(time.Second)
	if resp, _ := f.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("at expiry: %d; want 401", resp.StatusCode)
	}
	if resp, _ := f.get(t, "/staff", c); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the console at expiry: %d; want 303 to the sign-in page", resp.StatusCode)
	}
}

// TestStaffWrongPasswordUnknownNameAlike checks that an unknown name, a
// wrong password and a name that cannot exist get the same answer.
func TestStaffWrongPasswordUnknownNameAlike(t *testing.T) {
	f := newStaffFixture(t, "")
	name := f.addAccount(t, store.RoleEdit)
	for _, tt := range []struct{ what, name, password string }{
		{"wrong password", name, "pas-le-bon-mot-de-passe"},
		{"unknown name", "personne", staffTestPassword},
		{"impossible name", "<b>x</b>", staffTestPassword},
		{"no name", "", staffTestPassword},
	} {
		resp, body := f.signInAs(t, tt.name, tt.password, "")
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, msgWrongPassword) || len(resp.Cookies()) != 0 {
			t.Errorf("%s: %d, cookies %v; want 401 with %q", tt.what, resp.StatusCode, resp.Cookies(), msgWrongPassword)
		}
		if strings.Contains(body, "<b>x</b>") {
			t.Errorf("%s: the name typed comes back as HTML", tt.what)
		}
	}
	if resp, _ := f.signInAs(t, strings.ToUpper(name), staffTestPassword, ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the right password with the name in capitals: %d; want 303", resp.StatusCode)
	}
	if logs := f.Logs.String(); strings.Contains(logs, staffTestPassword) || strings.Contains(logs, "pas-le-bon") {
		t.Errorf("the server log shows a password:\n%s", logs)
	}
}

// TestStaffSignInRateLimits checks the two limits: per address (the right
// password is refused once an address failed too often), and per account
// name, whatever the addresses the failures came from.
func TestStaffSignInRateLimits(t *testing.T) {
	f := newStaffFixtureWith(t, "", Config{TrustedProxies: mustProxies(t, "127.0.0.1")})
	edit, read := f.addAccount(t, store.RoleEdit), f.addAccount(t, store.RoleRead)
	for i := 1; i <= staffSignInAttempts; i++ {
		if resp, _ := f.signInAs(t, edit, "mauvais-mot-de-passe", "203.0.113.7"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password #%d: %d; want 401", i, resp.StatusCode)
		}
	}
	resp, body := f.signInAs(t, read, staffTestPassword, "203.0.113.7")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, msgTooManyTries) {
		t.Errorf("right password from an address past its limit: %d; want 429 with Retry-After", resp.StatusCode)
	}
	// The name's limit: failures from many addresses, one each.
	for i := staffSignInAttempts + 1; i <= staffNameAttempts; i++ {
		from := "198.51.100." + itoa64(int64(i))
		if resp, _ := f.signInAs(t, edit, "mauvais-mot-de-passe", from); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password #%d from %s: %d; want 401", i, from, resp.StatusCode)
		}
	}
	if resp, _ := f.signInAs(t, edit, staffTestPassword, "192.0.2.1"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password for a name past its limit, from a new address: %d; want 429", resp.StatusCode)
	}
	if resp, _ := f.signInAs(t, read, staffTestPassword, "192.0.2.1"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another account from that address: %d; want 303", resp.StatusCode)
	}
	f.clock.Add(staffSignInWindow)
	if resp, _ := f.signInAs(t, edit, staffTestPassword, "203.0.113.7"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("right password once the window passed: %d; want 303", resp.StatusCode)
	}
}

// TestStaffTokenBootstrap checks that the token signs in, as édition, while
// no account exists, and is refused with a French explanation once one
// does; the sign-in page changes with it.
func TestStaffTokenBootstrap(t *testing.T) {
	f := newStaffFixture(t, "")
	_, page := f.get(t, "/staff/signin", nil)
	if !strings.Contains(page, `id="token"`) || strings.Contains(page, `id="password"`) {
		t.Errorf("sign-in page with no account: want the token's field only")
	}
	c := f.session(t)
	if _, me := f.get(t, "/staff/api/me", c); !strings.Contains(me, `"name":"`+bootstrapAccount+`"`) || !strings.Contains(me, `"role":"édition"`) {
		t.Errorf("the token's session: %s; want %q with the édition role", me, bootstrapAccount)
	}
	f.addAccount(t, store.RoleEdit)
	if code, _ := postAccount(t, f, c, `{"name":"lise","password":"un-mot-de-passe-neuf"}`); code != http.StatusUnauthorized {
		t.Errorf("the token's old cookie once an account was added from the command line: %d; want 401", code)
	}
	resp := f.signIn(t, staffTestToken)
	if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 {
		t.Errorf("the token once an account exists: %d, cookies %v; want 401 and no session", resp.StatusCode, resp.Cookies())
	}
	req, _ := http.NewRequest("POST", f.URL+"/staff/signin", strings.NewReader(url.Values{"token": {staffTestToken}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, body := sendNoRedirect(t, req); !strings.Contains(body, msgTokenRetired) {
		t.Errorf("the token once an account exists: the page does not say %q", msgTokenRetired)
	}
	_, page = f.get(t, "/staff/signin", nil)
	if !strings.Contains(page, `id="name"`) || !strings.Contains(page, `id="password"`) || strings.Contains(page, `id="token"`) ||
		!strings.Contains(page, "ne permet plus d’entrer") {
		t.Errorf("sign-in page once an account exists: want name and password, and the token's retirement said")
	}
}

// postAccount posts account (JSON) to the console's accounts API with
// cookie c, and returns the status and body.
func postAccount(t *testing.T, f *staffFixture, c *http.Cookie, account string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.URL+"/staff/api/accounts", strings.NewReader(account))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c)
	resp, body := sendNoRedirect(t, req)
	return resp.StatusCode, body
}

// TestStaffTokenSessionEndsWithFirstAccount checks that the token's
// session adding the first account from the console loses its rights at
// once, and that a token session left in the store is refused anyway once
// an account exists.
func TestStaffTokenSessionEndsWithFirstAccount(t *testing.T) {
	f := newStaffFixture(t, "")
	c := f.session(t)
	if code, body := postAccount(t, f, c, `{"name":"marie","password":"un-mot-de-passe-neuf"}`); code != http.StatusCreated {
		t.Fatalf("the token's session adds the first account: %d %s; want 201", code, body)
	}
	if code, _ := postAccount(t, f, c, `{"name":"lise","password":"un-mot-de-passe-neuf"}`); code != http.StatusUnauthorized {
		t.Errorf("the token's cookie once it added an account: %d; want 401", code)
	}
	if resp, _ := f.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/staff/api/me with the token's cookie once an account exists: %d; want 401", resp.StatusCode)
	}
	// A token session in the store beside the accounts (a database
	// restored, say): the session check refuses it.
	id := randomHex(staffTokenBytes)
	now := f.clock.Now()
	left := store.StaffSession{IDHash: sessionHash(id), Account: bootstrapAccount, Role: store.RoleEdit, Expires: now.Add(staffSessionTTL)}
	if err := f.Log.CreateStaffSession(context.Background(), left, now); err != nil {
		t.Fatal(err)
	}
	if code, _ := postAccount(t, f, &http.Cookie{Name: staffCookie, Value: id}, `{"name":"lise","password":"un-mot-de-passe-neuf"}`); code != http.StatusUnauthorized {
		t.Errorf("a token session left in the store once an account exists: %d; want 401", code)
	}
	if _, err := f.Log.StaffAccount(context.Background(), "lise"); !errors.Is(err, store.ErrNoStaffAccount) {
		t.Errorf("lise was added by a token session: %v; want no such account", err)
	}
}

// TestStaffAccountRules checks the names, passwords and roles refused,
// each with its French reason, and the last édition account kept.
func TestStaffAccountRules(t *testing.T) {
	f := newStaffFixture(t, "")
	ctx := context.Background()
	refused := []struct{ name, role, password, want string }{
		{"marie", "lecture", staffTestPassword, "premier compte doit avoir le rôle édition"},
		{"m", "", staffTestPassword, "de 2 à 32 caractères"},
		{strings.Repeat("a", 33), "", staffTestPassword, "de 2 à 32 caractères"},
		{"marie dupont", "", staffTestPassword, "ne peut pas contenir d’espace"},
		{"marie\u200b", "", staffTestPassword, "caractère invisible (U+200B)"},
		{"1marie", "", staffTestPassword, "« 1 »"},
		{"marie", "admin", staffTestPassword, "Le rôle « admin » n’existe pas"},
		{"marie", "", "court", "au moins 12 caractères (il en a 5)"},
		{"marie", "", strings.Repeat("x", maxStaffPasswordRunes+1), "dépasse 256 caractères"},
	}
	for _, tt := range refused {
		_, err := AddStaffAccount(ctx, f.Log, tt.name, tt.role, tt.password, "test")
		var invalid *InvalidStaffAccount
		if !errors.As(err, &invalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("AddStaffAccount(%.40q, %q): %v; want an InvalidStaffAccount saying %q", tt.name, tt.role, err, tt.want)
		}
	}
	a, err := AddStaffAccount(ctx, f.Log, " Marie.Dupont ", "", staffTestPassword, "test")
	if err != nil || a.Name != "marie.dupont" || a.Role != store.RoleEdit || !strings.HasPrefix(a.Hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("first account: %+v, %v; want marie.dupont, édition, an argon2id hash", a, err)
	}
	if _, err := AddStaffAccount(ctx, f.Log, "marie.dupont", "", staffTestPassword, "test"); err == nil || !strings.Contains(err.Error(), "existe déjà") {
		t.Errorf("the same name again: %v; want « existe déjà »", err)
	}
	b, err := AddStaffAccount(ctx, f.Log, "paul", "", staffTestPassword, "test")
	if err != nil || b.Role != store.RoleRead {
		t.Errorf("second account without a role: %+v, %v; want lecture", b, err)
	}
	for _, tt := range []struct {
		what string
		err  error
	}{
		{"removing the last édition account", RemoveStaffAccount(ctx, f.Log, "marie.dupont")},
		{"demoting the last édition account", SetStaffRole(ctx, f.Log, "marie.dupont", "lecture", "test")},
	} {
		if !errors.Is(tt.err, store.ErrLastEditor) || !strings.Contains(tt.err.Error(), "dernier compte en édition") {
			t.Errorf("%s: %v; want ErrLastEditor, said in French", tt.what, tt.err)
		}
	}
	if err := SetStaffRole(ctx, f.Log, "paul", "edition", "test"); err != nil {
		t.Fatalf("promoting paul: %v", err)
	}
	if err := RemoveStaffAccount(ctx, f.Log, "marie.dupont"); err != nil {
		t.Errorf("removing an édition account while another is left: %v", err)
	}
}

// TestStaffRoleChangeReachesSessions checks that a role changed applies to
// the sessions already open, and a password changed or an account removed
// ends them.
func TestStaffRoleChangeReachesSessions(t *testing.T) {
	f := newStaffFixture(t, "")
	ctx := context.Background()
	c := f.sessionAs(t, store.RoleRead)
	name := staffTestName(store.RoleRead)
	if err := SetStaffRole(ctx, f.Log, name, store.RoleEdit, "test"); err != nil {
		t.Fatal(err)
	}
	if _, me := f.get(t, "/staff/api/me", c); !strings.Contains(me, `"role":"édition"`) {
		t.Errorf("after promotion, the open session: %s; want the édition role", me)
	}
	if err := SetStaffPassword(ctx, f.Log, name, "un-tout-nouveau-mot-de-passe", "test"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := f.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after a password change, the old session gets %d; want 401", resp.StatusCode)
	}
	if resp, _ := f.signInAs(t, name, staffTestPassword, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password: %d; want 401", resp.StatusCode)
	}
	c = f.sessionAs(t, store.RoleEdit)
	if err := RemoveStaffAccount(ctx, f.Log, staffTestName(store.RoleEdit)); err != nil {
		t.Fatal(err)
	}
	if resp, _ := f.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after the account's removal, its session gets %d; want 401", resp.StatusCode)
	}
}

// TestStaffTokenWhileDatabaseDown checks that while the database cannot be
// opened, the token opens a read-only session kept in memory (to read
// why in the console), and a wrong token still fails.
func TestStaffTokenWhileDatabaseDown(t *testing.T) {
	f := newStaffFixture(t, filepath.Join(t.TempDir(), "absent", "causette.db"))
	_, page := f.get(t, "/staff/signin", nil)
	if !strings.Contains(page, `id="token"`) || !strings.Contains(page, "ouvre la console en lecture") {
		t.Errorf("sign-in page with the database down: want the token's field and why")
	}
	if resp := f.signIn(t, "mauvais-jeton-0123456789"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong token with the database down: %d; want 401", resp.StatusCode)
	}
	c := f.session(t)
	if _, me := f.get(t, "/staff/api/me", c); !strings.Contains(me, `"role":"lecture"`) {
		t.Errorf("the token's session with the database down: %s; want read only", me)
	}
	req, _ := http.NewRequest("POST", f.URL+"/staff/api/entries", strings.NewReader(`{"question":"Q ?","answer":"R.","enabled":true}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c)
	if resp, _ := sendNoRedirect(t, req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a change with the database down: %d; want 403", resp.StatusCode)
	}
	req, _ = http.NewRequest("POST", f.URL+"/staff/signout", nil)
	req.AddCookie(c)
	sendNoRedirect(t, req)
	if resp, _ := f.get(t, "/staff/api/me", c); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after sign-out with the database down: %d; want 401", resp.StatusCode)
	}
}
