package index

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneBadFileIsSkipped checks that a file that cannot be read is left
// out and listed, in memory and on disk, that the rest is served, that
// Strict refuses the whole corpus as before, and that the file is read
// once mended.
func TestOneBadFileIsSkipped(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "bon.txt"), "Le bon\nLe vélo de ville coûte 300 euros chez le marchand du quartier.\n")
	mustWrite(t, filepath.Join(dir, "image.txt"), "\x89PNG\x00\x00")
	mustWrite(t, filepath.Join(dir, "faq.csv"), "question,réponse\nQuand ?,\n")
	mustWrite(t, filepath.Join(dir, "moitie.csv"), "question,réponse\nOù est le marchand ?,Rue du Port.\nCombien ?,\n")
	for _, onDisk := range []bool{false, true} {
		o := Options{Corpus: dir}
		if onDisk {
			o.Dir = t.TempDir()
		}
		ix, err := Open(o)
		if err != nil {
			t.Fatalf("on disk %v: %v; want the readable file served", onDisk, err)
		}
		st := ix.Stats()
		if st.Documents != 2 || len(st.Skipped) != 3 || st.Skipped[0].Name != "faq.csv" || st.Skipped[1].Name != "image.txt" ||
			!strings.Contains(st.Skipped[0].Reason, "ligne 2") || !strings.Contains(st.Skipped[1].Reason, "binaire") ||
			st.Skipped[2].Name != "moitie.csv" || !strings.Contains(st.Skipped[2].Reason, "lignes écartées : ligne 3") {
			t.Errorf("on disk %v: %d documents, skipped %+v; want bon and moitie served, faq.csv and image.txt listed with why, moitie.csv's line 3 too", onDisk, st.Documents, st.Skipped)
		}
		ix.Close()
		o.Strict = true
		if _, err := Open(o); err == nil || !strings.Contains(err.Error(), "faq.csv") {
			t.Errorf("on disk %v, strict: %v; want the first bad file's error", onDisk, err)
		}
		if onDisk {
			o.Strict = false
			mustWrite(t, filepath.Join(dir, "faq.csv"), "question,réponse\nQuand ouvre le marchand ?,À 9 h.\n")
			ix, err := Open(o)
			if err != nil {
				t.Fatal(err)
			}
			if st := ix.Stats(); st.Documents != 3 || len(st.Skipped) != 2 {
				t.Errorf("mended: %d documents, skipped %+v; want faq.csv read", st.Documents, st.Skipped)
			}
			ix.Close()
		}
	}
	os.Remove(filepath.Join(dir, "bon.txt"))
	os.Remove(filepath.Join(dir, "faq.csv"))
	os.Remove(filepath.Join(dir, "moitie.csv"))
	if _, err := Open(Options{Corpus: dir}); err == nil || !strings.Contains(err.Error(), "aucun document lisible") {
		t.Errorf("no readable file: %v; want an error saying so", err)
	}
}

// TestDocumentIDs checks that ids are paths without the extension, two
// index pages in two folders being two documents, and that the extension
// stays only where two files would clash.
func TestDocumentIDs(t *testing.T) {
	ids := documentIDs([]string{"aide/index.html", "guides/Déménager.md", "index.html", "guide.pdf", "guide.html", "notes.txt"}, ".")
	for name, want := range map[string]string{"aide/index.html": "aide/index", "guides/Déménager.md": "guides/demenager",
		"index.html": "index", "guide.pdf": "guide.pdf", "guide.html": "guide.html", "notes.txt": "notes"} {
		if ids[name] != want {
			t.Errorf("%s: id %q, want %q", name, ids[name], want)
		}
	}
}

// TestDocumentURLs checks where a document's URL comes from: its front
// matter, the crawl's manifest, or --base-url and its path; and that a
// URL that is not http(s) is never kept.
func TestDocumentURLs(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "aide", "page.html"), "<html><head><title>Aide</title></head><body><main><h2 id=\"a\">Accès</h2><p>On entre par la porte nord.</p></main></body></html>")
	mustWrite(t, filepath.Join(dir, "guide.md"), "---\ntitle: Le guide du lecteur\nurl: https://site.example/guide/\n---\n\nUn guide pour bien lire.\n")
	mustWrite(t, filepath.Join(dir, "ruse.md"), "---\nurl: javascript:alert(1)\n---\n\nUn texte.\n")
	mustWrite(t, filepath.Join(dir, "notes.txt"), "Notes\nDes notes prises au fil de l'eau.\n")
	m, _ := json.Marshal(Manifest{Version: 1, Pages: []Page{{File: "aide/page.html", URL: "https://site.example/aide/page"}}})
	mustWrite(t, filepath.Join(dir, ManifestFile), string(m))
	c, err := loadDir(dir, Options{Strict: true, BaseURL: "https://copie.example/docs"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Document{}
	for _, d := range c.Docs {
		got[d.Slug] = d
	}
	if len(got) != 4 {
		t.Fatalf("documents %v; want 4 (the manifest is no document)", got)
	}
	for slug, want := range map[string]string{
		"aide/page": "https://site.example/aide/page#a", // the manifest's, with the section's anchor
		"guide":     "https://site.example/guide/",      // the front matter's
		"ruse":      "https://copie.example/docs/ruse.md",
		"notes":     "https://copie.example/docs/notes.txt",
	} {
		if d := got[slug]; d == nil || d.Passages[0].URL != want {
			t.Errorf("%s: passage URL %q; want %q", slug, d.Passages[0].URL, want)
		}
	}
	if got["guide"].Title != "Le guide du lecteur" {
		t.Errorf("front matter title %q", got["guide"].Title)
	}
	if _, err := loadDir(dir, Options{BaseURL: "ftp://copie.example/"}); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("a base URL that is not http(s): %v; want an error naming --base-url", err)
	}
}

// TestExtraDocuments checks that documents from no file are served beside
// the corpus, in memory and on disk, and that on disk they are indexed
// again only when they change.
func TestExtraDocuments(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "velo.txt"), "Le vélo\nLe vélo de ville coûte 300 euros chez le marchand du quartier.\n")
	team := func(answer string) *Document {
		return &Document{Slug: "_equipe", Title: "Réponse de l'équipe", Passages: []Passage{{ID: "_equipe#e1", Doc: "_equipe",
			Title: "Réponse de l'équipe", Kind: KindFAQ, Question: "Où garer son vélo ?", Text: answer, Paragraph: 1}}}
	}
	find := func(ix *Index) string {
		hits, err := ix.SearchText("Où garer son vélo ?", 1)
		if err != nil || len(hits) == 0 {
			t.Fatalf("no hit (%v)", err)
		}
		return hits[0].Passage.Text
	}
	ix, err := Open(Options{Corpus: dir, Extra: []*Document{team("Devant la mairie, sur les arceaux.")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := find(ix); got != "Devant la mairie, sur les arceaux." {
		t.Errorf("in memory: first hit %q; want the team's answer", got)
	}
	ix.Close()
	idx := t.TempDir()
	for i, c := range []struct {
		answer  string
		changed int
	}{{"Devant la mairie, sur les arceaux.", 2}, {"Devant la mairie, sur les arceaux.", 0}, {"Au parking de la gare.", 1}} {
		ix, err := Open(Options{Corpus: dir, Dir: idx, Extra: []*Document{team(c.answer)}})
		if err != nil {
			t.Fatal(err)
		}
		if got, st := find(ix), ix.Stats(); got != c.answer || st.Changed != c.changed {
			t.Errorf("open %d on disk: first hit %q, %d documents indexed again; want %q and %d", i+1, got, st.Changed, c.answer, c.changed)
		}
		ix.Close()
	}
}

// TestCrawledPageCharset checks that a crawled page with no charset of its
// own is read in the one its server sent (the manifest keeps it), as a
// browser reads it.
func TestCrawledPageCharset(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "page.html"), "<html><body><main><p>Le caf\xe9 ouvre \xe0 8 h.</p></main></body></html>")
	m, _ := json.Marshal(Manifest{Version: 1, Pages: []Page{{File: "page.html", URL: "https://site.example/page.html",
		ContentType: "text/html; charset=iso-8859-1"}}})
	mustWrite(t, filepath.Join(dir, ManifestFile), string(m))
	for _, onDisk := range []bool{false, true} {
		o := Options{Corpus: dir, Strict: true}
		if onDisk {
			o.Dir = t.TempDir()
		}
		ix, err := Open(o)
		if err != nil {
			t.Fatal(err)
		}
		if got := ix.Passages()[0].Text; got != "Le café ouvre à 8 h." {
			t.Errorf("on disk %v: %q; want it read as Latin-1", onDisk, got)
		}
		ix.Close()
	}
}
