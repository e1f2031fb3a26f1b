package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/causette/causette/index"
)

// progressEvery is how often the progress bar is redrawn: often enough to
// look alive, rarely enough to cost nothing.
const progressEvery = 200 * time.Millisecond

// runIndex builds (or brings up to date) the index: `causette index`. With
// --index it is kept on disk, ready for `serve` to open at once.
func runIndex(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stats := fs.Bool("stats", false, "affiche les statistiques de l'index")
	asJSON := fs.Bool("json", false, "sortie JSON")
	dir := corpusFlag(fs)
	indexDir := indexFlag(fs, "", "dossier où garder l'index (par exemple causette-data/index, celui de serve) ; sans lui, l'index est construit en mémoire")
	cpuProfile := fs.String("cpuprofile", "", "fichier où écrire le profil CPU de la construction (go tool pprof)")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	o := dir.options(*indexDir)
	o.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	bar := &progressBar{out: stderr, tty: isTerminal(stderr)}
	if *indexDir != "" && bar.tty {
		o.Progress = bar.show
	}
	ix, err := index.Open(o)
	bar.done()
	if err != nil {
		return err
	}
	defer ix.Close()
	st := ix.Stats()
	if *asJSON {
		return json.NewEncoder(stdout).Encode(st)
	}
	if !*stats {
		where := "en mémoire"
		if *indexDir != "" {
			where = "dans " + *indexDir
		}
		fmt.Fprintf(stdout, "Index %s : %d documents (%d indexés à nouveau), %d passages, %v.\n",
			where, st.Documents, st.Changed, st.Passages, st.BuildTime.Round(time.Millisecond))
		printSkipped(stdout, st.Skipped)
		return nil
	}
	fmt.Fprintf(stdout, "Documents : %d (%d indexés à nouveau)\nPassages : %d (paragraphes %d, lignes de tableau %d, FAQ %d)\nTermes : %d\nGroupes de synonymes : %d\nVersion : %s\nConstruction : %v\n",
		st.Documents, st.Changed, st.Passages, st.ByKind[index.KindParagraph], st.ByKind[index.KindTableRow], st.ByKind[index.KindFAQ],
		st.Terms, st.Synonyms, st.Version, st.BuildTime.Round(100_000))
	printSkipped(stdout, st.Skipped)
	return nil
}

// printSkipped lists the files left out of the corpus, with why; their
// names are shown with control characters replaced (a file name may hold
// anything a terminal would obey).
func printSkipped(w io.Writer, skipped []index.Skipped) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "Fichiers écartés : %d (--strict les refuse avec tout le corpus)\n", len(skipped))
	for _, sk := range skipped {
		fmt.Fprintf(w, "  %s\n", terminalSafe(sk.Reason))
	}
}

// terminalSafe is s with its control characters replaced by U+FFFD.
func terminalSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return '\ufffd'
		}
		return r
	}, s)
}

// progressBar draws an index build's progress on one terminal line:
// documents, passages, rate and time left.
type progressBar struct {
	out   io.Writer
	tty   bool
	last  time.Time
	drawn bool
}

// width is the bar's length in characters.
const progressWidth = 30

func (b *progressBar) show(p index.Progress) {
	if time.Since(b.last) < progressEvery && p.Done < p.Total {
		return
	}
	b.last = time.Now()
	filled := progressWidth * p.Done / max(p.Total, 1)
	rate := float64(p.Done) / max(p.Elapsed.Seconds(), 1e-3)
	left := time.Duration(float64(p.Total-p.Done)/max(rate, 1e-9)) * time.Second
	bar := make([]rune, progressWidth)
	for i := range bar {
		bar[i] = '·'
		if i < filled {
			bar[i] = '█'
		}
	}
	fmt.Fprintf(b.out, "\r%s %d/%d documents, %d passages, %.0f documents/s, reste %v   ",
		string(bar), p.Done, p.Total, p.Passages, rate, left.Round(time.Second))
	b.drawn = true
}

// done ends the bar's line.
func (b *progressBar) done() {
	if b.drawn {
		fmt.Fprintln(b.out)
	}
}
