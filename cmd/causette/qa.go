package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

const qaUsage = `Usage :
  causette qa export [--db FICHIER] [--data DIR] [FICHIER.csv|.tsv]   les réponses de l'équipe (sur la sortie sans fichier)
  causette qa import [--db FICHIER] [--data DIR] FICHIER.csv|.tsv     les ajoute ou les met à jour, ligne par ligne

Le fichier est une feuille de questions-réponses (question, réponse, formulations séparées
par |, lien), celle que --corpus lit : les réponses de l'équipe peuvent vivre dans un
dépôt de versions. Une question déjà là (à la casse et aux accents près) est mise à jour,
sa version précédente gardée ; une ligne sans réponse est refusée avec son numéro.
`

// runQA exports the team's answers to a Q&A sheet or imports one.
func runQA(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("qa", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, qaUsage)
		fs.PrintDefaults()
	}
	db := fs.String("db", "", dbFlagHelp)
	dataDir := fs.String("data", defaultDataDir, "dossier des données du serveur")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	if fs.NArg() < 1 || (fs.Arg(0) != "export" && fs.Arg(0) != "import") || (fs.Arg(0) == "import" && fs.NArg() != 2) || fs.NArg() > 2 {
		fs.Usage()
		return errors.New("qa : donnez export [FICHIER] ou import FICHIER")
	}
	if *db == "" {
		*db = filepath.Join(*dataDir, dbFileName)
	}
	if fs.Arg(0) == "import" {
		// Read and checked before the database is opened: a bad file
		// changes nothing.
		name := fs.Arg(1)
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("qa import : %w", err)
		}
		sheet, err := index.ReadSheet(filepath.Base(name), data)
		if err != nil {
			return fmt.Errorf("qa import : %w", err)
		}
		qlog, err := openEntries(*db)
		if err != nil {
			return err
		}
		defer qlog.Close()
		return importSheet(ctx, qlog, sheet, stdout)
	}
	if _, err := statDB(*db); err != nil {
		return fmt.Errorf("qa export : base %s illisible : %w", *db, err)
	}
	qlog, err := openEntries(*db)
	if err != nil {
		return err
	}
	defer qlog.Close()
	entries, err := qlog.Entries(ctx)
	if err != nil {
		return fmt.Errorf("qa export : %w", err)
	}
	out, sep := stdout, ','
	if fs.NArg() == 2 {
		name := fs.Arg(1)
		if strings.EqualFold(filepath.Ext(name), ".tsv") {
			sep = '\t'
		}
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("qa export : %w", err)
		}
		defer f.Close()
		out = f
	}
	if err := writeSheet(out, sep, entries); err != nil {
		return fmt.Errorf("qa export : %w", err)
	}
	if fs.NArg() == 2 {
		fmt.Fprintf(stderr, "%d réponses de l'équipe écrites dans %s\n", len(entries), terminalSafe(fs.Arg(1)))
	}
	return nil
}

// openEntries opens the server's database for the team's answers.
func openEntries(db string) (*store.Log, error) { return openServerDB("qa", db) }

// openServerDB opens the server's database for command cmd (qa, staff),
// reporting problems only.
func openServerDB(cmd, db string) (*store.Log, error) {
	// The server's retention is its own: nothing is purged from here.
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})) // problems only
	qlog := openStore(db, store.Options{NoPurge: true, Logger: quiet})
	if h := qlog.Health(); !h.OK {
		qlog.Close()
		return nil, fmt.Errorf("%s : base %s inutilisable (%s)", cmd, dbName(db), h.Error)
	}
	return qlog, nil
}

// writeSheet writes entries as a Q&A sheet that --corpus and qa import read
// back: the text as typed (a sheet meant to be read back is not defused
// for spreadsheets; see the store's CSV reports).
func writeSheet(w io.Writer, sep rune, entries []store.Entry) error {
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.Write([]string{"question", "réponse", "formulations", "lien", "active"})
	for _, e := range entries {
		active := "oui"
		if !e.Enabled {
			active = "non"
		}
		cw.Write([]string{e.Question, e.Answer, strings.Join(e.Alternates, " | "), e.Link, active})
	}
	cw.Flush()
	return cw.Error()
}

// importSheet adds the sheet's rows as entries, or updates the entry that
// asks the same question (folded), and says for each line what it did.
func importSheet(ctx context.Context, qlog *store.Log, sheet *index.Sheet, out io.Writer) error {
	entries, err := qlog.Entries(ctx)
	if err != nil {
		return fmt.Errorf("qa import : %w", err)
	}
	byQuestion := map[string]store.Entry{}
	for _, e := range entries {
		byQuestion[index.Fold(e.Question)] = e
	}
	by := "import"
	if u, err := user.Current(); err == nil {
		by = "import (" + u.Username + ")"
	}
	var added, changed, same, refused int
	for _, row := range sheet.Rows {
		e, known := byQuestion[index.Fold(row.Question)]
		enabled := !known || e.Enabled // a sheet without the active column keeps the entry's state
		if row.Active != nil {
			enabled = *row.Active
		}
		next := store.Entry{ID: e.ID, Question: row.Question, Answer: row.Answer, Alternates: row.Alternates,
			Link: row.Link, Passages: e.Passages, Enabled: enabled}
		if known && next.Question == e.Question && next.Answer == e.Answer && next.Link == e.Link && next.Enabled == e.Enabled &&
			strings.Join(next.Alternates, "\n") == strings.Join(e.Alternates, "\n") {
			same++
			continue
		}
		saved, err := qlog.SaveEntry(ctx, next, by)
		if err != nil {
			refused++
			fmt.Fprintf(out, "ligne %d : refusée : %s\n", row.Line, terminalSafe(err.Error()))
			continue
		}
		byQuestion[index.Fold(row.Question)] = saved
		if known {
			changed++
			fmt.Fprintf(out, "ligne %d : modifiée : %s\n", row.Line, terminalSafe(row.Question))
		} else {
			added++
			fmt.Fprintf(out, "ligne %d : ajoutée : %s\n", row.Line, terminalSafe(row.Question))
		}
	}
	for _, bad := range sheet.Bad {
		refused++
		fmt.Fprintf(out, "%s : refusée\n", terminalSafe(bad))
	}
	fmt.Fprintf(out, "%d ajoutées, %d modifiées, %d inchangées, %d refusées\n", added, changed, same, refused)
	return nil
}
