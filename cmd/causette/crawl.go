package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/causette/causette/index/crawl"
)

// runCrawl copies a site into a corpus folder: `causette crawl --out DIR
// URL...`. From each start page (or sitemap.xml) it follows the links that
// stay on the same site under the start's folder, as robots.txt allows, one
// request at a time; each page is kept as fetched, and DIR/.causette-crawl.json
// (index.ManifestFile) holds its URL and validators. Run again, it asks
// only for what changed (If-None-Match, If-Modified-Since), removes the
// pages gone, and says what it added, changed and removed (see package
// crawl).
//
// With `causette serve --corpus DIR` reloading the folder as it changes, a
// crawl on a schedule keeps the chatbot in step with the site. A cron line
// (every night at 3:17):
//
//	17 3 * * * causette crawl --out /srv/causette/corpus https://www.exemple.fr/aide/ >>/var/log/causette-crawl.log 2>&1
//
// or a systemd timer: causette-crawl.service holding
//
//	[Service]
//	Type=oneshot
//	ExecStart=/usr/local/bin/causette crawl --out /srv/causette/corpus https://www.exemple.fr/aide/
//
// and causette-crawl.timer holding
//
//	[Timer]
//	OnCalendar=*-*-* 03:17
//	RandomizedDelaySec=30m
//	Persistent=true
//	[Install]
//	WantedBy=timers.target
//
// enabled with `systemctl enable --now causette-crawl.timer`.
func runCrawl(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "dossier du corpus à remplir (créé au besoin)")
	maxPages := fs.Int("max-pages", crawl.DefaultMaxPages, "nombre maximal de pages demandées")
	delay := fs.Duration("delay", crawl.DefaultDelay, "pause entre deux requêtes (plus longue si robots.txt le demande)")
	timeout := fs.Duration("timeout", crawl.DefaultTimeout, "durée maximale d'une requête")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	switch {
	case *out == "":
		return errors.New("crawl : donnez le dossier à remplir : --out DIR")
	case fs.NArg() == 0:
		return errors.New("crawl : donnez au moins une adresse de départ, par exemple https://www.exemple.fr/aide/")
	case *maxPages < 1:
		return fmt.Errorf("crawl : --max-pages %d : il faut au moins une page", *maxPages)
	case *delay < 0 || *timeout <= 0:
		return errors.New("crawl : --delay et --timeout sont des durées positives (500ms, 30s)")
	}
	bar := &crawlBar{out: stderr}
	o := crawl.Options{Out: *out, Start: fs.Args(), MaxPages: *maxPages, Delay: *delay, Timeout: *timeout, Log: bar}
	if isTerminal(stderr) {
		o.Progress = bar.show
	}
	rep, err := crawl.Run(ctx, o)
	if rep != nil {
		printCrawlReport(stdout, rep)
	}
	return err
}

// printCrawlReport lists the files added (+), changed (~) and removed (-),
// then sums them up in one line.
func printCrawlReport(w io.Writer, r *crawl.Report) {
	for _, l := range []struct {
		mark  string
		files []string
	}{{"+", r.Added}, {"~", r.Changed}, {"-", r.Removed}} {
		for _, f := range l.files {
			fmt.Fprintln(w, l.mark, f)
		}
	}
	fmt.Fprintf(w, "%d %s %s, %d %s, %d %s, %d %s",
		len(r.Added), plural(len(r.Added), "page"), plural(len(r.Added), "ajoutée"),
		len(r.Changed), plural(len(r.Changed), "modifiée"),
		len(r.Removed), plural(len(r.Removed), "supprimée"),
		r.Unchanged, plural(r.Unchanged, "inchangée"))
	if r.Failed > 0 {
		fmt.Fprintf(w, ", %d en erreur", r.Failed)
	}
	fmt.Fprintf(w, " (%v).\n", r.Elapsed.Round(time.Millisecond))
}

// plural is word, with an s from 2 on (French counts 0 and 1 singular).
func plural(n int, word string) string {
	if n >= 2 {
		return word + "s"
	}
	return word
}

// crawlBar draws a crawl's progress on one terminal line: pages requested
// out of those known, and the rate. It is also the crawl's log: a note
// takes the bar's line, and the bar is drawn again below it.
type crawlBar struct {
	out   io.Writer
	last  time.Time
	drawn bool
}

// show draws p, at most every progressEvery until the last page; the last
// report ends the bar's line.
func (b *crawlBar) show(p crawl.Progress) {
	if p.Last {
		b.done()
		return
	}
	if time.Since(b.last) < progressEvery && p.Done < p.Total {
		return
	}
	b.last = time.Now()
	filled := min(progressWidth*p.Done/max(p.Total, 1), progressWidth)
	rate := float64(p.Done) / max(p.Elapsed.Seconds(), 1e-3)
	fmt.Fprintf(b.out, "\r%s%s %d/%d pages, %.1f pages/s   ",
		strings.Repeat("█", filled), strings.Repeat("·", progressWidth-filled), p.Done, p.Total, rate)
	b.drawn = true
}

// Write writes a note of the crawl, on the bar's line wiped first.
func (b *crawlBar) Write(note []byte) (int, error) {
	if b.drawn {
		fmt.Fprint(b.out, "\r\x1b[K")
	}
	return b.out.Write(note)
}

// done ends the bar's line.
func (b *crawlBar) done() {
	if b.drawn {
		fmt.Fprintln(b.out)
		b.drawn = false
	}
}
