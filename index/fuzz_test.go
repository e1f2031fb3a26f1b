package index

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any bytes give passages or an error, never a panic, and every
// passage keeps text from its source.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"Titre\nUn paragraphe.\n",
		"T\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"T\nQuestion ?\nRéponse.\n",
		"# T\n\n## S\n\n- un\n- deux\n\n| x |\n",
		"\ufeffT\r\n\r\nligne\r\n",
	} {
		f.Add("doc.txt", []byte(seed))
		f.Add("doc.md", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := Parse(name, data)
		if err != nil {
			return
		}
		for _, p := range doc.Passages {
			if p.Text == "" && p.Kind != KindTableRow {
				t.Errorf("Parse(%q) gave an empty %s passage %s", data, p.Kind, p.ID)
			}
			if !utf8.ValidString(p.Text) || !strings.HasPrefix(p.ID, doc.Slug+"#p") {
				t.Errorf("Parse(%q) gave passage %+v", data, p)
			}
		}
	})
}

// FuzzStructured: any bytes named as a web page or a Q&A sheet give a
// document or an error naming the file, never a panic; every passage has
// valid text, an id of its document, and a URL only when it is http(s).
func FuzzStructured(f *testing.F) {
	for _, seed := range []string{
		samplePage,
		"<html><body><main><h2 id=a>Q ?</h2><p>R.</p><ul><li>x</li></ul><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table></main></body></html>",
		`<script type="application/ld+json">{"@type":"FAQPage","mainEntity":[{"@type":"Question","name":"Q ?","acceptedAnswer":{"text":"<b>R</b>"}}]}</script>`,
		"<h3><a id=\"x\"/>1. Titre ?</h3><dl><dt>Quoi ?</dt><dd>Ça.</dd></dl><details><summary>S</summary>T</details>",
	} {
		f.Add("page.html", []byte(seed))
	}
	for _, seed := range []string{
		"question;réponse;formulations;lien;catégorie;active\nQ ?;R.;a|b;https://x.fr;C;non\n",
		"question,answer\n\"Q, ?\",\"R\"\"\"\n,\n",
		"question\tréponse\nQ\t\n",
	} {
		f.Add("faq.csv", []byte(seed))
		f.Add("faq.tsv", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		ext := strings.ToLower(path.Ext(name))
		if ext != ".html" && ext != ".csv" && ext != ".tsv" {
			return
		}
		doc, err := parseDocument(name, location{id: "d"}, data)
		if err != nil {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not name %q", err, name)
			}
			return
		}
		for _, p := range doc.Passages {
			if !utf8.ValidString(p.Text) || !strings.HasPrefix(p.ID, "d#p") || (p.URL != "" && !isWebURL(p.URL)) {
				t.Errorf("%s %q gave passage %+v", name, data, p)
			}
		}
	})
}
