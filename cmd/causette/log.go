package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/causette/causette/web/store"
)

// Defaults of the question log.
const (
	// logNearest is how many nearest passages `causette log unanswered` lists.
	logNearest = 3
)

const logUsage = `Usage : causette log unanswered|disliked|top [--since 7d] [--csv] [--data DIR | --db FICHIER] [--corpus DIR] [--limit N]
  unanswered  les questions restées sans réponse, regroupées, avec les passages les plus proches
  disliked    les réponses qui ont reçu un pouce baissé
  top         les questions les plus posées
`

// runLog prints a view of the question log.
func runLog(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("log", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, logUsage)
		fs.PrintDefaults()
	}
	sinceText := fs.String("since", "7d", "période : 7d (jours), 12h, 90m...")
	asCSV := fs.Bool("csv", false, "sortie CSV")
	db := fs.String("db", "", dbFlagHelp)
	dataDir := fs.String("data", defaultDataDir, "dossier des données du serveur")
	limit := fs.Int("limit", 50, "lignes au plus (0 : toutes)")
	dir := corpusFlag(fs)
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("log : donnez une vue, unanswered, disliked ou top")
	}
	view := fs.Arg(0)
	since, err := store.ParseSince(*sinceText)
	if err != nil {
		return fmt.Errorf("log --since : %w", err)
	}
	if *db == "" {
		*db = filepath.Join(*dataDir, dbFileName)
	}
	if _, err := statDB(*db); err != nil {
		return fmt.Errorf("log : journal %s illisible : %w", *db, err)
	}
	qlog, err := openStoreReadOnly(ctx, *db)
	if err != nil {
		return fmt.Errorf("log : %w", err)
	}
	defer qlog.Close()
	from := time.Now().Add(-since)
	switch view {
	case "unanswered", "top":
		var groups []store.Group
		if view == "unanswered" {
			groups, err = qlog.Unanswered(ctx, from, *limit)
		} else {
			groups, err = qlog.Top(ctx, from, *limit)
		}
		if err != nil {
			return fmt.Errorf("log %s : %w", view, err)
		}
		if view == "unanswered" {
			if err := addNearest(groups, dir); err != nil {
				return err
			}
		}
		if *asCSV {
			return store.WriteGroupsCSV(stdout, groups)
		}
		printGroups(stdout, view, groups)
	case "disliked":
		turns, err := qlog.Disliked(ctx, from, *limit)
		if err != nil {
			return fmt.Errorf("log %s : %w", view, err)
		}
		if *asCSV {
			return store.WriteTurnsCSV(stdout, turns)
		}
		printTurns(stdout, turns)
	default:
		fs.Usage()
		return fmt.Errorf("log : vue inconnue %q", view)
	}
	return nil
}

// addNearest adds to each group the passages of the corpus closest to it.
func addNearest(groups []store.Group, dir *corpusSource) error {
	if len(groups) == 0 {
		return nil
	}
	ix, err := openIndex(dir, "")
	if err != nil {
		return err
	}
	defer ix.Close()
	for i := range groups {
		found, err := ix.Find(groups[i].Question, logNearest)
		if err != nil {
			return err
		}
		groups[i].Nearest = store.NearOf(found.Matches)
	}
	return nil
}

// printGroups prints a view of grouped questions (unanswered, top) as a table.
func printGroups(w io.Writer, view string, groups []store.Group) {
	if len(groups) == 0 {
		fmt.Fprintln(w, "Aucune question sur la période.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	cells := 5
	if view == "unanswered" {
		cells = 4
		fmt.Fprintln(tw, "FOIS\tQUESTION\tDERNIÈRE FOIS\tPASSAGES PROCHES")
	} else {
		fmt.Fprintln(tw, "FOIS\tQUESTION\tSANS RÉPONSE\tPOUCES ↑/↓\tPASSAGE CITÉ")
	}
	for _, g := range groups {
		if view == "unanswered" {
			ids := make([]string, len(g.Nearest))
			for i, n := range g.Nearest {
				ids[i] = n.ID
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", g.Count, oneLine(g.Question), g.Last.Local().Format("2006-01-02 15:04"), strings.Join(ids, " "))
		} else {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d/%d\t%s\n", g.Count, oneLine(g.Question), g.NoAnswer, g.Up, g.Down, oneLine(g.Passage))
		}
		for _, x := range g.Wordings {
			if x.Text != g.Question {
				// As many cells as the other rows, or tabwriter ends the column block.
				fmt.Fprintf(tw, "\t  aussi : %s (%d)%s\n", oneLine(x.Text), x.Count, strings.Repeat("\t", cells-2))
			}
		}
	}
	tw.Flush()
}

// printTurns prints the disliked turns as a table.
func printTurns(w io.Writer, turns []store.Turn) {
	if len(turns) == 0 {
		fmt.Fprintln(w, "Aucune réponse jugée mauvaise sur la période.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tQUESTION\tTYPE\tCONFIANCE\tPASSAGE CITÉ")
	for _, t := range turns {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\n", t.Time.Local().Format("2006-01-02 15:04"), oneLine(t.Question), oneLine(t.Kind), t.Confidence, oneLine(t.Passage))
	}
	tw.Flush()
}

// oneLineRunes bounds a visitor's text in a table of `causette log`: a
// terminal's width, so that the other columns stay in view.
const oneLineRunes = 80

// oneLine makes text read from the log fit one cell of a table: its spaces,
// tabs and line breaks as one space, at most oneLineRunes runes, and what a
// terminal would obey (escape sequences, bidirectional controls) shown
// escaped (see store.TerminalText). Every text of the log printed goes
// through it: visitors wrote it.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > oneLineRunes {
		s = string(r[:oneLineRunes-1]) + "…"
	}
	return store.TerminalText(s)
}
