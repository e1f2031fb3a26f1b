package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/causette/causette/web"
	"github.com/causette/causette/web/questionlog"
)

// Defaults of the question log.
const (
	defaultDB = "causette.db"
	// staffTokenEnv names the environment variable holding the staff token.
	staffTokenEnv = "CAUSETTE_STAFF_TOKEN"
	// logNearest is how many nearest passages `causette log unanswered` lists.
	logNearest = 3
)

// staffOptions are the flags of `causette serve` for the question log and
// the staff console.
type staffOptions struct {
	db    *string
	days  *int
	token *string
}

// staffFlags adds --db, --log-days and --staff-token to serve's flags.
func staffFlags(fs *flag.FlagSet) *staffOptions {
	return &staffOptions{
		db:    fs.String("db", defaultDB, "fichier SQLite du journal des questions"),
		days:  fs.Int("log-days", questionlog.DefaultDays, "jours de conservation du journal des questions"),
		token: fs.String("staff-token", "", "jeton de la console de l'équipe (défaut : $"+staffTokenEnv+", sinon un jeton aléatoire affiché au démarrage)"),
	}
}

// attach opens the question log and plugs the staff console into cfg (its
// routes, and the log of every visitor turn). The log stays usable when the
// database cannot be written: the chat answers and the failure shows in the
// log, /healthz and /healthz/log. close writes what is queued and closes the database.
func (o *staffOptions) attach(cfg *web.Config, addr string) (close func(), err error) {
	if *o.days <= 0 {
		return nil, fmt.Errorf("--log-days %d : donnez un nombre de jours positif", *o.days)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	token := *o.token
	if token == "" {
		token = os.Getenv(staffTokenEnv)
	}
	generated := token == ""
	if generated {
		token = web.NewStaffToken()
	}
	qlog := questionlog.Open(*o.db, questionlog.Options{Days: *o.days, Logger: logger})
	staff, err := web.NewStaff(web.StaffConfig{Token: token, Log: qlog, Engine: cfg.Engine, Index: cfg.Index, Logger: logger})
	if err != nil {
		qlog.Close()
		return nil, err
	}
	staff.Attach(cfg)
	if generated {
		// Printed once: the fragment (#jeton=) fills the sign-in form without
		// reaching the server or its access logs.
		logger.Warn("staff console: no --staff-token nor "+staffTokenEnv+", generated a token for this run",
			"signin", "http://"+localAddr(addr)+"/staff/signin#jeton="+token)
	}
	return func() {
		if err := qlog.Close(); err != nil {
			logger.Error("question log close", "err", err)
		}
	}, nil
}

// localAddr turns a listen address into one a browser on this machine opens.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

const logUsage = `Usage : causette log unanswered|disliked|top [--since 7d] [--csv] [--db FICHIER] [--corpus DIR] [--limit N]
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
	db := fs.String("db", defaultDB, "fichier SQLite du journal des questions")
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
	since, err := questionlog.ParseSince(*sinceText)
	if err != nil {
		return fmt.Errorf("log --since : %w", err)
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("log : journal %s illisible : %w", *db, err)
	}
	qlog, err := questionlog.OpenReadOnly(ctx, *db)
	if err != nil {
		return fmt.Errorf("log : %w", err)
	}
	defer qlog.Close()
	from := time.Now().Add(-since)
	switch view {
	case "unanswered", "top":
		var groups []questionlog.Group
		if view == "unanswered" {
			groups, err = qlog.Unanswered(ctx, from, *limit)
		} else {
			groups, err = qlog.Top(ctx, from, *limit)
		}
		if err != nil {
			return fmt.Errorf("log %s : %w", view, err)
		}
		if view == "unanswered" {
			if err := addNearest(groups, *dir); err != nil {
				return err
			}
		}
		if *asCSV {
			return questionlog.WriteGroupsCSV(stdout, groups)
		}
		printGroups(stdout, view, groups)
	case "disliked":
		turns, err := qlog.Disliked(ctx, from, *limit)
		if err != nil {
			return fmt.Errorf("log %s : %w", view, err)
		}
		if *asCSV {
			return questionlog.WriteTurnsCSV(stdout, turns)
		}
		printTurns(stdout, turns)
	default:
		fs.Usage()
		return fmt.Errorf("log : vue inconnue %q", view)
	}
	return nil
}

// addNearest adds to each group the passages of the corpus closest to it.
func addNearest(groups []questionlog.Group, dir string) error {
	if len(groups) == 0 {
		return nil
	}
	ix, err := openIndex(dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	for i := range groups {
		hits, err := ix.SearchText(groups[i].Question, logNearest)
		if err != nil {
			return err
		}
		for _, h := range hits {
			p := h.Passage
			groups[i].Nearest = append(groups[i].Nearest, questionlog.Near{ID: p.ID, Title: p.Title,
				Section: p.Section, Paragraph: p.Paragraph, Score: h.Score})
		}
	}
	return nil
}

func printGroups(w io.Writer, view string, groups []questionlog.Group) {
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
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d/%d\t%s\n", g.Count, oneLine(g.Question), g.NoAnswer, g.Up, g.Down, g.Passage)
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

func printTurns(w io.Writer, turns []questionlog.Turn) {
	if len(turns) == 0 {
		fmt.Fprintln(w, "Aucune réponse jugée mauvaise sur la période.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tQUESTION\tTYPE\tCONFIANCE\tPASSAGE CITÉ")
	for _, t := range turns {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\n", t.Time.Local().Format("2006-01-02 15:04"), oneLine(t.Question), t.Kind, t.Confidence, t.Passage)
	}
	tw.Flush()
}

// oneLine keeps a visitor's text on one line of a table, at most 80 runes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 80 {
		return string(r[:79]) + "…"
	}
	return s
}
