package index

import (
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
