// Package crawl copies a web site into a corpus folder and keeps the copy in
// step with the site.
//
// From each start page (or sitemap.xml) Run follows the links that stay on
// the same site under the start's folder, as robots.txt allows, one request
// at a time. Each page is kept as fetched, under a file name made safe for
// any file system, and the folder's index.ManifestFile holds each page's URL
// and validators. Run again, it asks only for what changed (If-None-Match,
// If-Modified-Since), removes the pages gone, and reports what it added,
// changed and removed. Nothing is ever written outside the corpus folder: the
// files go through an os.Root.
//
// The package reads no flag and draws nothing: its caller passes explicit
// Options, and receives the notes (in French, for the person running the
// crawl) on Options.Log and the progress on Options.Progress.
package crawl
