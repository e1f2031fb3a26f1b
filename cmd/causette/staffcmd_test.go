package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/sqlite"
)

// runStaffCmd runs causette staff args with stdin, as a script would.
func runStaffCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"staff"}, args...), strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

// TestStaffCommand checks add, list, passwd, role and remove on a database
// that serve would open, and the French errors of each.
func TestStaffCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "causette.db")
	if out, err := runStaffCmd(t, "", "list", "--db", db); err == nil {
		t.Errorf("list on a missing database: %q, no error", out)
	}
	steps := []struct {
		stdin   string
		args    []string
		want    string // in the output, or in the error when fails
		fails   bool
		comment string
	}{
		{"mot-de-passe-solide\n", []string{"add", "paul", "--role", "lecture", "--db", db}, "premier compte doit avoir le rôle édition", true, "first account lecture"},
		{"court\n", []string{"add", "Marie", "--db", db}, "au moins 12 caractères", true, "short password"},
		{"", []string{"add", "marie", "--db", db}, "aucun mot de passe sur l’entrée", true, "no password"},
		{"mot-de-passe-solide\n", []string{"add", "marie dupont", "--db", db}, "d’espace", true, "bad name"},
		{"mot-de-passe-solide\r\n", []string{"add", "Marie", "--db", db}, "compte « marie » créé, rôle édition", false, "first account"},
		{"mot-de-passe-solide\n", []string{"add", "marie", "--db", db}, "existe déjà", true, "same name"},
		{"autre-mot-de-passe\n", []string{"--data", dir, "add", "paul"}, "compte « paul » créé, rôle lecture", false, "second account, by --data"},
		{"mot-de-passe-solide\n", []string{"--data", filepath.Join(dir, "neuf"), "add", "zoe"}, "compte « zoe » créé, rôle édition", false, "first account before the first serve: --data made"},
		{"", []string{"list", "--db", db}, "marie", false, "list"},
		{"", []string{"list", "--db", db}, "paul", false, "list"},
		{"", []string{"remove", "marie", "--db", db}, "dernier compte en édition", true, "last editor"},
		{"", []string{"role", "paul", "admin", "--db", db}, "Le rôle « admin » n’existe pas", true, "bad role"},
		{"", []string{"role", "paul", "édition", "--db", db}, "rôle de « paul » : édition", false, "promote"},
		{"", []string{"passwd", "personne", "--db", db}, "n’existe pas", true, "passwd unknown"},
		{"", []string{"remove", "personne", "--db", db}, "n’existe pas", true, "remove unknown"},
		{"", []string{"list", "--role", "lecture", "--db", db}, "--role ne sert qu’avec add", true, "role flag on list"},
		{"", []string{"frobnicate", "--db", db}, "donnez add NOM", true, "unknown subcommand"},
	}
	for _, s := range steps {
		out, err := runStaffCmd(t, s.stdin, s.args...)
		got := out
		if err != nil {
			got = err.Error()
		}
		if (err != nil) != s.fails || !strings.Contains(got, s.want) {
			t.Errorf("%s: staff %q: %q (error %v); want %s %q", s.comment, s.args, got, err, map[bool]string{true: "an error saying", false: "output with"}[s.fails], s.want)
		}
	}
	before := accountHash(t, db, "marie")
	if out, err := runStaffCmd(t, "un-nouveau-mot-de-passe\n", "passwd", "marie", "--db", db); err != nil || !strings.Contains(out, "changé") {
		t.Fatalf("passwd marie: %q, %v", out, err)
	}
	if after := accountHash(t, db, "marie"); after == before || !strings.HasPrefix(after, "$argon2id$") {
		t.Errorf("passwd marie: hash %q then %q; want a new argon2id hash", before, after)
	}
	if out, err := runStaffCmd(t, "", "remove", "marie", "--db", db); err != nil || !strings.Contains(out, "supprimé") {
		t.Errorf("remove marie while paul edits: %q, %v", out, err)
	}
	if out, _ := runStaffCmd(t, "", "list", "--db", db); strings.Contains(out, "marie") || !strings.Contains(out, "paul") {
		t.Errorf("list after removing marie: %q", out)
	}
}

// accountHash reads the stored hash of account name.
func accountHash(t *testing.T, db, name string) string {
	t.Helper()
	l := sqlite.Open(db, store.Options{NoPurge: true})
	defer l.Close()
	a, err := l.StaffAccount(context.Background(), name)
	if err != nil {
		t.Fatalf("account %s: %v", name, err)
	}
	return a.Hash
}

// TestStaffAddWhileServing checks that an account added from the command
// line while serve runs on the same data folder signs in at once, and the
// token stops signing in.
func TestStaffAddWhileServing(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	addr, done, cancel := startServe(t, data)
	defer func() { cancel(); <-done }()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var tokenCookies []*http.Cookie // the token's session, from its sign-in
	signIn := func(form url.Values) int {
		t.Helper()
		resp, err := client.PostForm("http://"+addr+"/staff/signin", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if form.Has("token") && tokenCookies == nil {
			tokenCookies = resp.Cookies()
		}
		return resp.StatusCode
	}
	if code := signIn(url.Values{"token": {"test-token-0123456789"}}); code != http.StatusSeeOther || len(tokenCookies) == 0 {
		t.Fatalf("the token before any account: %d, cookies %v; want 303 and a session", code, tokenCookies)
	}
	if out, err := runStaffCmd(t, "mot-de-passe-solide\n", "add", "marie", "--data", data); err != nil {
		t.Fatalf("staff add while serving: %q, %v", out, err)
	}
	req, _ := http.NewRequest("POST", "http://"+addr+"/staff/api/accounts", strings.NewReader(`{"name":"lise","password":"un-mot-de-passe-neuf"}`))
	req.Header.Set("Content-Type", "application/json")
	for _, c := range tokenCookies {
		req.AddCookie(c)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the token's old cookie adds an account once staff add made marie: %d; want 401", resp.StatusCode)
	}
	if code := signIn(url.Values{"name": {"marie"}, "password": {"mot-de-passe-solide"}}); code != http.StatusSeeOther {
		t.Errorf("marie signs in: %d; want 303", code)
	}
	if code := signIn(url.Values{"token": {"test-token-0123456789"}}); code != http.StatusUnauthorized {
		t.Errorf("the token once marie exists: %d; want 401", code)
	}
}
