package crawl

import (
	"bytes"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// maxLinksPerPage bounds the links taken from one page: a site map page
// holds a few thousand.
const maxLinksPerPage = 10_000

// assetExts are never requested: they are never a document the index reads.
var assetExts = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".json": true, ".png": true, ".jpg": true, ".jpeg": true,
	".gif": true, ".svg": true, ".webp": true, ".avif": true, ".ico": true, ".bmp": true, ".tif": true,
	".mp3": true, ".ogg": true, ".wav": true, ".mp4": true, ".webm": true, ".avi": true, ".mov": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true,
	".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".zst": true, ".7z": true,
	".tar": true, ".rar": true, ".deb": true, ".rpm": true, ".iso": true, ".exe": true, ".dmg": true,
	".msi": true, ".apk": true,
}

// pageLinks returns the links an HTML page asks to follow — <a href>,
// <area href>, <link rel=next> — resolved against its <base href> or its
// address, and what its robots meta says. Any bytes are read without
// panic; the links are bounded by maxLinksPerPage.
func pageLinks(page *url.URL, body []byte) (links []*url.URL, noindex, nofollow bool) {
	z := html.NewTokenizer(bytes.NewReader(body))
	base, sawBase := page, false
	for len(links) < maxLinksPerPage {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tag, more := z.TagName()
		var href, rel, name, content string
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			switch string(k) {
			case "href":
				href = strings.TrimSpace(string(v))
			case "rel":
				rel = string(v)
			case "name":
				name = string(v)
			case "content":
				content = string(v)
			}
		}
		switch string(tag) {
		case "base":
			if b, err := page.Parse(href); err == nil && !sawBase && href != "" {
				base, sawBase = b, true
			}
		case "a", "area":
			links = appendLink(links, base, href)
		case "link":
			if slices.Contains(strings.Fields(strings.ToLower(rel)), "next") {
				links = appendLink(links, base, href)
			}
		case "meta":
			if strings.EqualFold(name, "robots") || strings.EqualFold(name, robotsAgent) {
				for _, d := range strings.Split(strings.ToLower(content), ",") {
					d = strings.TrimSpace(d)
					noindex = noindex || d == "noindex" || d == "none"
					nofollow = nofollow || d == "nofollow" || d == "none"
				}
			}
		}
	}
	return links, noindex, nofollow
}

// appendLink appends href, resolved against base, if it is a web address.
func appendLink(links []*url.URL, base *url.URL, href string) []*url.URL {
	if href == "" {
		return links
	}
	u, err := base.Parse(href)
	if err != nil {
		return links
	}
	if u = canonical(u); u != nil {
		links = append(links, u)
	}
	return links
}
