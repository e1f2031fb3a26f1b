package crawl

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

const (
	// maxSegmentBytes bounds one folder or file name written: file systems
	// allow 255 bytes; room is left for a hash and a temporary suffix.
	maxSegmentBytes = 120
	// maxNameBytes bounds a file's whole path under the corpus folder, well
	// under PATH_MAX once the folder's own path is added.
	maxNameBytes = 1024
	// hashChars is the length of the hashes put in names: 32 bits tell apart
	// the few variants of one page.
	hashChars = 8
)

// fileName is where page u, a document of kind (its extension), is kept
// under the corpus folder: its path under the start's folder (the host and
// the whole path with several sites), "index" for a folder, a hash of the
// query string, the extension the index reads it by; no dot segment, no
// hidden name, each name within maxSegmentBytes, and a name no other page
// of this crawl or the previous one holds.
func (c *crawler) fileName(u *url.URL, kind string) string {
	rel := u.Host + u.Path
	if !c.hostNames {
		rel = strings.TrimPrefix(u.Path, c.scopeFor(u).dir)
	}
	segs := strings.Split(rel, "/")
	var parts []string
	for _, s := range segs[:len(segs)-1] {
		if s != "" {
			parts = append(parts, safeName(s, ""))
		}
	}
	stem := cmp.Or(segs[len(segs)-1], "index")
	ext := path.Ext(stem)
	if e := strings.ToLower(ext); e == kind || (kind == ".html" && e == ".htm") {
		stem = strings.TrimSuffix(stem, ext)
	} else {
		ext = kind
	}
	if u.RawQuery != "" {
		stem += "-" + shortHash(u.RawQuery)
	}
	name := path.Join(append(parts, safeName(stem, ext))...)
	if len(name) > maxNameBytes {
		name = "_" + shortHash(u.String()) + ext
	}
	if owner := c.owner(name); owner != "" && owner != u.String() {
		name = strings.TrimSuffix(name, ext) + "-" + shortHash(u.String()) + ext
	}
	return name
}

// owner is the URL that holds the file name: in this crawl, or in the
// previous one unless found gone.
func (c *crawler) owner(name string) string {
	if u := c.files[name]; u != "" {
		return u
	}
	if u := c.oldFiles[name]; u != "" && !c.gone[u] {
		return u
	}
	return ""
}

// safeName makes stem+ext a safe file or folder name: no separator, no
// control or reserved character, not hidden, not "." or "..", at most
// maxSegmentBytes (a long stem is cut and hashed).
func safeName(stem, ext string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, stem)
	if strings.HasPrefix(clean, ".") || clean == "" {
		clean = "_" + clean
	}
	if room := maxSegmentBytes - len(ext); len(clean) > room {
		cut := room - hashChars - 1
		for cut > 0 && !utf8.RuneStart(clean[cut]) {
			cut--
		}
		clean = clean[:cut] + "-" + shortHash(stem)
	}
	return clean + ext
}

// shortHash is a short hex digest of s, for names.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashChars]
}

// hidden reports whether a path has a hidden part, which the index skips.
func hidden(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}
