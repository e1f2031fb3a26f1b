package index

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fingerprintHexDigits is how much of a passage's hash its fingerprint
// keeps: 64 bits, far past the passages of any corpus, short enough to
// store beside every attachment.
const fingerprintHexDigits = 16

// Attachment is a set of phrasings staff attached to a corpus passage: the
// passage is found for them as an FAQ entry is for its question. It names
// the passage by its fingerprint, not its id: ids come from positions and
// move when a paragraph is added above.
type Attachment struct {
	Fingerprint string
	Phrasings   []string
}

// Fingerprint names a passage's text whatever its layout: folded as the
// analyzer folds (case, accents, ligatures), every run of other characters
// than letters and digits (spaces, punctuation, line breaks) read as one
// space. A passage reformatted keeps it; a changed word does not.
func Fingerprint(text string) string {
	// One pass, rune by rune through the folding table: Fold on a text
	// with one ’ or « sends it whole through Unicode normalisation, and
	// every passage analysed is fingerprinted (measured on the seed, 2
	// shared cores: 118 µs a passage that way, 7 µs this one;
	// BenchmarkFingerprint).
	b := make([]byte, 0, len(text))
	space := false
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
				space = len(b) > 0
				continue
			}
		case unicode.IsMark(r): // an accent typed apart: folding drops it
			continue
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			space = len(b) > 0
			continue
		}
		if space {
			b, space = append(b, ' '), false
		}
		if r = unicode.ToLower(r); r < foldTableSize {
			b = append(b, foldTable[r]...)
		} else {
			b = append(b, foldChain(string(r))...)
		}
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:fingerprintHexDigits]
}

// attachments indexes Options.Attached by fingerprint, the phrasings of
// one passage together, each once.
type attachments map[string][]string

func newAttachments(list []Attachment) attachments {
	a := attachments{}
	for _, at := range list {
		for _, p := range at.Phrasings {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(a[at.Fingerprint], p) {
				a[at.Fingerprint] = append(a[at.Fingerprint], p)
			}
		}
	}
	return a
}

// apply returns d with each passage's Attached set to the phrasings of its
// fingerprint (none when it has none), marking the fingerprints found in
// matched; fps, when it has one a passage, are the passages' fingerprints
// worked out already. d itself is returned when nothing changes; else a
// copy: the documents handed in are shared with the index in service.
func (a attachments) apply(d *Document, fps []string, matched map[string]bool) *Document {
	var out *Document
	for i := range d.Passages {
		var want []string
		if len(a) > 0 {
			var fp string
			if len(fps) == len(d.Passages) {
				fp = fps[i]
			} else {
				fp = Fingerprint(d.Passages[i].Text)
			}
			if want = a[fp]; want != nil {
				matched[fp] = true
			}
		}
		if slices.Equal(d.Passages[i].Attached, want) {
			continue
		}
		if out == nil {
			c := *d
			c.Passages = slices.Clone(d.Passages)
			out = &c
		}
		out.Passages[i].Attached = want
	}
	if out == nil {
		return d
	}
	return out
}

// applyAll applies the attachments to every document and returns the
// fingerprints that matched no passage, sorted.
func (a attachments) applyAll(docs []*Document) (out []*Document, orphans []string) {
	matched := map[string]bool{}
	out = make([]*Document, len(docs))
	for i, d := range docs {
		out[i] = a.apply(d, nil, matched)
	}
	return out, a.orphans(matched)
}

// orphans lists the fingerprints not in matched, sorted.
func (a attachments) orphans(matched map[string]bool) []string {
	var out []string
	for fp := range a {
		if !matched[fp] {
			out = append(out, fp)
		}
	}
	slices.Sort(out)
	return out
}
