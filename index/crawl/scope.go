package crawl

import (
	"net/url"
	"strings"
)

// scope is the part of a site a start covers: one origin, one folder.
type scope struct {
	origin string // scheme://host[:port]
	dir    string // a path ending in /
}

// scopeOf is the scope u starts: its origin and its folder.
func scopeOf(u *url.URL) scope {
	return scope{origin: origin(u), dir: u.Path[:strings.LastIndex(u.Path, "/")+1]}
}

func (s scope) contains(u *url.URL) bool {
	return origin(u) == s.origin && strings.HasPrefix(u.Path, s.dir)
}

// severalSites reports whether the starts lie in different folders: the
// files are then named after the host and the whole path, so that two
// sites never write the same file.
func severalSites(starts []*url.URL) bool {
	for _, u := range starts[1:] {
		if scopeOf(u) != scopeOf(starts[0]) {
			return true
		}
	}
	return false
}

// inScope reports whether u lies under one of the starts, with no dot
// segment left (an encoded "%2e%2e" could lead a server out of the folder).
func (c *crawler) inScope(u *url.URL) bool {
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	for _, s := range c.scopes {
		if s.contains(u) {
			return true
		}
	}
	return false
}

// scopeFor is the narrowest scope holding u.
func (c *crawler) scopeFor(u *url.URL) scope {
	var best scope
	for _, s := range c.scopes {
		if s.contains(u) && len(s.dir) >= len(best.dir) {
			best = s
		}
	}
	return best
}

// origin is u's scheme and host.
func origin(u *url.URL) string {
	return u.Scheme + "://" + u.Host
}

// canonical returns u as the crawler keys it, or nil when it is not an
// absolute http(s) URL: no fragment, no dot segments, lower-case host,
// no default port, "/" for an empty path.
func canonical(u *url.URL) *url.URL {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil
	}
	v := u.ResolveReference(u) // a copy, with the dot segments resolved
	v.Fragment, v.RawFragment, v.ForceQuery = "", "", false
	v.Host = strings.ToLower(v.Host)
	if p := v.Port(); (v.Scheme == "http" && p == "80") || (v.Scheme == "https" && p == "443") {
		v.Host = strings.TrimSuffix(v.Host, ":"+p)
	}
	if v.Hostname() == "" {
		return nil
	}
	if v.Path == "" {
		v.Path, v.RawPath = "/", ""
	}
	return v
}
