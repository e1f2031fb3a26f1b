package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/sqlite"
)

// TestQAImportExport checks the round trip of the team's answers: a sheet
// imported line by line (added, refused with its line number), imported
// again changed (one modified, the rest unchanged), exported to a sheet
// that imports back unchanged.
func TestQAImportExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "causette.db")
	sheet := filepath.Join(dir, "equipe.csv")
	write := func(text string) {
		if err := os.WriteFile(sheet, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("question;réponse;formulations;lien\n" +
		"Où garer son vélo ?;Devant la mairie.;parking vélo | stationner un vélo;https://mairie.example.fr/velo\n" +
		"Quand ouvre la piscine ?;\n" +
		"Comment payer la cantine ?;En ligne, sur le portail famille.;;\n")
	out, err := runWithin(t, "qa", "import", "--db", db, sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ligne 2 : ajoutée : Où garer son vélo ?", "ligne 4 : ajoutée : Comment payer la cantine ?",
		"ligne 3 : la question « Quand ouvre la piscine ? » n'a pas de réponse : refusée", "2 ajoutées, 0 modifiées, 0 inchangées, 1 refusées"} {
		if !strings.Contains(out, want) {
			t.Errorf("first import said:\n%s\nwant %q", out, want)
		}
	}
	write("question;réponse\nOù garer son vélo ?;Au parking de la gare.\nComment payer la cantine ?;En ligne, sur le portail famille.\n")
	out, err = runWithin(t, "qa", "import", "--db", db, sheet)
	if err != nil || !strings.Contains(out, "ligne 2 : modifiée : Où garer son vélo ?") || !strings.Contains(out, "0 ajoutées, 1 modifiées, 1 inchangées, 0 refusées") {
		t.Errorf("second import: %v\n%s", err, out)
	}
	exported := filepath.Join(dir, "export.tsv")
	if _, err := runWithin(t, "qa", "export", "--db", db, exported); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(exported)
	if !strings.Contains(string(data), "Où garer son vélo ?\tAu parking de la gare.\t\t\toui") {
		t.Errorf("export:\n%s", data)
	}
	out, err = runWithin(t, "qa", "import", "--db", db, exported)
	if err != nil || !strings.Contains(out, "0 ajoutées, 0 modifiées, 2 inchangées, 0 refusées") {
		t.Errorf("importing the export back: %v\n%s", err, out)
	}
	if _, err := runWithin(t, "qa", "import", "--db", db, filepath.Join(dir, "absent.csv")); err == nil {
		t.Errorf("importing a missing file: no error")
	}
	// The active column: « non » disables, and an export of a disabled
	// entry imports back disabled.
	write("question;réponse;active\nOù garer son vélo ?;Au parking de la gare.;non\n")
	out, err = runWithin(t, "qa", "import", "--db", db, sheet)
	if err != nil || !strings.Contains(out, "ligne 2 : modifiée") {
		t.Errorf("disabling by import: %v\n%s", err, out)
	}
	fresh := filepath.Join(dir, "neuve.db")
	if _, err := runWithin(t, "qa", "export", "--db", db, exported); err != nil {
		t.Fatal(err)
	}
	if _, err := runWithin(t, "qa", "import", "--db", fresh, exported); err != nil {
		t.Fatal(err)
	}
	l := sqlite.Open(fresh, store.Options{NoPurge: true})
	defer l.Close()
	entries, _ := l.Entries(context.Background())
	for _, e := range entries {
		if e.Question == "Où garer son vélo ?" && e.Enabled {
			t.Errorf("a disabled entry came back enabled through export and import")
		}
	}
}

// TestQADoesNotPurge checks that qa, which opens the server's database for
// the team's answers only, leaves the question log's old turns alone: the
// retention is the server's (--log-days).
func TestQADoesNotPurge(t *testing.T) {
	db := filepath.Join(t.TempDir(), "causette.db")
	l := sqlite.Open(db, store.Options{Days: 90})
	l.Record(store.Turn{Time: time.Now().AddDate(0, 0, -60), Question: "Une vieille question ?", Kind: "no_answer"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := runWithin(t, "qa", "export", "--db", db); err != nil {
		t.Fatal(err)
	}
	ro, err := sqlite.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	turns, err := ro.Recent(context.Background(), time.Now().AddDate(0, 0, -100), 0)
	if err != nil || len(turns) != 1 {
		t.Errorf("after qa export: %d turns (%v); want the 60-day-old turn kept", len(turns), err)
	}
}

// TestServeAnswersTeamEntries checks that an entry imported while serve
// runs (another process writing the same database, as qa import does) is
// the first citation for its question within seconds, cited as « Réponse
// de l'équipe » with its link, and that a disabled one never is.
func TestServeAnswersTeamEntries(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	addr, done, cancel := startServe(t, data)
	defer cancel()
	const q = "Où déposer une plainte contre un voisin bruyant ?"
	if a := askServe(t, addr, q); citedByTeam(a) {
		t.Fatalf("answered by the team before any entry")
	}
	sheet := filepath.Join(t.TempDir(), "equipe.csv")
	os.WriteFile(sheet, []byte("question;réponse;lien\n"+q+";Au commissariat ou en gendarmerie, avec un témoignage écrit.;https://mairie.example.fr/bruit\n"), 0o600)
	if _, err := runWithin(t, "qa", "import", "--db", filepath.Join(data, dbFileName), sheet); err != nil {
		t.Fatal(err)
	}
	a := waitAnswer(t, addr, q, citedByTeam)
	if len(a.Citations) == 0 || a.Citations[0].Title != "Réponse de l'équipe" || a.Citations[0].URL != "https://mairie.example.fr/bruit" ||
		!strings.Contains(a.Answer, "Au commissariat") {
		t.Errorf("after the import: %q from %+v; want the team's answer with its link", a.Answer, a.Citations)
	}
	cancel()
	<-done
}

// TestBackupWhileServing checks that the database is copied while a log
// holds it open and writes to it, the copy holding the team's answers, and
// that an existing file is never overwritten.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "causette.db")
	l := sqlite.Open(db, store.Options{})
	defer l.Close()
	if _, err := l.SaveEntry(context.Background(), store.Entry{Question: "Où garer son vélo ?", Answer: "Devant la mairie.", Enabled: true}, "test"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copie.db")
	if _, err := runWithin(t, "backup", "--db", db, out); err != nil {
		t.Fatal(err)
	}
	copyLog := sqlite.Open(out, store.Options{})
	defer copyLog.Close()
	entries, err := copyLog.Entries(context.Background())
	if err != nil || len(entries) != 1 || entries[0].Answer != "Devant la mairie." {
		t.Errorf("the copy holds %+v, %v; want the entry", entries, err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the copy's mode: %v, %v; want 0600", fi, err)
	}
	if _, err := runWithin(t, "backup", "--db", db, out); err == nil || !strings.Contains(err.Error(), "existe déjà") {
		t.Errorf("backing up onto an existing file: %v; want it refused", err)
	}
}

// askServe asks q over serve's API at addr, retrying for 30 s while the
// corpus loads.
func askServe(t *testing.T, addr, q string) chat.Answer {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Post("http://"+addr+"/api/ask", "application/json", strings.NewReader(`{"q":`+strconv.Quote(q)+`}`))
		if err == nil && resp.StatusCode == http.StatusOK {
			var a chat.Answer
			err = json.NewDecoder(resp.Body).Decode(&a)
			resp.Body.Close()
			if err == nil {
				return a
			}
		}
		if resp != nil {
			resp.Body.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("POST /api/ask: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// citedByTeam reports whether a's first citation is a team's answer.
func citedByTeam(a chat.Answer) bool {
	return len(a.Citations) > 0 && a.Citations[0].Title == "Réponse de l'équipe"
}

// waitAnswer asks q until ok(answer) or 10 s pass, and returns the last answer.
func waitAnswer(t *testing.T, addr, q string, ok func(chat.Answer) bool) chat.Answer {
	t.Helper()
	var a chat.Answer
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if a = askServe(t, addr, q); ok(a) {
			break
		}
	}
	return a
}

// TestServeAnswersEntryFromConsoleAPI adds an entry through the console's
// API of a running serve: the next answer to its other phrasing cites it
// first; disabled through the same API, it is never cited again.
func TestServeAnswersEntryFromConsoleAPI(t *testing.T) {
	addr, done, cancel := startServe(t, filepath.Join(t.TempDir(), "data"))
	defer func() { cancel(); <-done }()
	const q, alt = "Où déposer une plainte contre un voisin bruyant ?", "comment signaler le tapage nocturne de mes voisins"
	if a := askServe(t, addr, alt); citedByTeam(a) {
		t.Fatalf("answered by the team before any entry")
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.PostForm("http://"+addr+"/staff/signin", url.Values{"token": {"test-token-0123456789"}, "next": {"/staff"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	send := func(method, path, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: status %d %v", method, path, resp.StatusCode, out)
		}
		return out
	}
	saved := send("POST", "/staff/api/entries", `{"question":`+strconv.Quote(q)+`,"alternates":[`+strconv.Quote(alt)+`],`+
		`"answer":"Au commissariat ou en gendarmerie, avec un témoignage écrit.","enabled":true}`)
	if a := waitAnswer(t, addr, alt, citedByTeam); !citedByTeam(a) || !strings.Contains(a.Answer, "Au commissariat") {
		t.Errorf("after the entry was saved: %q from %+v; want the team's answer first", a.Answer, a.Citations)
	}
	id := strconv.Itoa(int(saved["id"].(float64)))
	send("PUT", "/staff/api/entries/"+id, `{"question":`+strconv.Quote(q)+`,"answer":"Au commissariat ou en gendarmerie, avec un témoignage écrit.",`+
		`"enabled":false,"version":`+strconv.Itoa(int(saved["version"].(float64)))+`}`)
	if a := waitAnswer(t, addr, q, func(a chat.Answer) bool { return !citedByTeam(a) }); citedByTeam(a) {
		t.Errorf("after the entry was disabled: still cited %+v", a.Citations)
	}
}
