package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/causette/causette/chat"
)

// evalTop is how deep eval looks for the expected passage (top-5, MRR@10).
const evalTop = 10

// evalItem is one line of an eval set (see ../shared/eval/README.md).
type evalItem struct {
	Q               string     `json:"q"`
	Expect          []string   `json:"expect"`
	Gold            string     `json:"gold"`
	Doc             string     `json:"doc"`
	URL             string     `json:"url"`
	Short           string     `json:"short"`
	ExpectNone      bool       `json:"expect_none"`
	ExpectSmalltalk bool       `json:"expect_smalltalk"`
	Turns           []evalItem `json:"turns"`
	Kind            string     `json:"kind"`
}

// kindScore adds up one kind's results.
type kindScore struct {
	N, Top1, Top5, Facts, OK int
	MRR                      float64
	Graded                   int // items with an expected passage
	// Shorts counts the items with an expected short answer; ShortF1 sums
	// the token F1 of the answer's short against it.
	Shorts  int
	ShortF1 float64
}

// evalReport is the result of scoring a set.
type evalReport struct {
	ByKind map[string]*kindScore
	Misses []string
}

func runEval(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := corpusFlag(fs)
	verbose := fs.Bool("v", false, "liste les questions manquées")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("eval : donnez un fichier .jsonl")
	}
	items, err := readEval(fs.Arg(0))
	if err != nil {
		return err
	}
	ix, err := openIndex(dir, "")
	if err != nil {
		return err
	}
	eng := chat.New(ix, chat.Options{Top: evalTop, CiteRatio: 1e-9})
	rep := evaluate(ctx, eng, items)
	printReport(stdout, rep)
	if *verbose {
		for _, m := range rep.Misses {
			fmt.Fprintln(stdout, m)
		}
	}
	return nil
}

// boolFlags are the flags that take no value.
var boolFlags = map[string]bool{"json": true, "v": true, "stats": true, "csv": true}

// reorder puts flags before positional arguments so that
// "eval FILE --corpus DIR" works as well as "eval --corpus DIR FILE".
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && !boolFlags[strings.TrimLeft(a, "-")] && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

// readEval reads an eval set, one JSON item a line; blank lines are skipped.
func readEval(path string) ([]evalItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var items []evalItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var it evalItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return items, nil
}

func evaluate(ctx context.Context, eng *chat.Engine, items []evalItem) evalReport {
	rep := evalReport{ByKind: map[string]*kindScore{}}
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		kind := it.Kind
		if kind == "" {
			kind = "gold"
			if it.ExpectNone {
				kind = "oos"
			}
		}
		ks := rep.ByKind[kind]
		if ks == nil {
			ks = &kindScore{}
			rep.ByKind[kind] = ks
		}
		turns := it.Turns
		if len(turns) == 0 {
			turns = []evalItem{it}
		}
		token := ""
		for _, turn := range turns {
			a, err := eng.Ask(turn.Q, token)
			if err != nil {
				ks.N++
				rep.Misses = append(rep.Misses, fmt.Sprintf("[%s] %q: error %v", kind, turn.Q, err))
				continue
			}
			token = a.Context
			ok := scoreTurn(ks, turn, a)
			if !ok {
				got := a.Kind
				if len(a.Citations) > 0 {
					got += " " + a.Citations[0].ID + " " + firstRunes(a.Citations[0].Text, 70)
				}
				rep.Misses = append(rep.Misses, fmt.Sprintf("[%s] %q -> %s", kind, turn.Q, got))
			}
		}
	}
	return rep
}

// scoreTurn records one answer and reports whether it was right at rank 1.
func scoreTurn(ks *kindScore, it evalItem, a chat.Answer) bool {
	ks.N++
	switch {
	case it.ExpectNone:
		if a.Kind == chat.KindNoAnswer {
			ks.OK++
			return true
		}
		return false
	case it.ExpectSmalltalk:
		if a.Kind == chat.KindSmalltalk && len(a.Citations) == 0 {
			ks.OK++
			return true
		}
		return false
	}
	ks.Graded++
	rank := 0
	if a.Kind == chat.KindAnswer {
		for i, c := range a.Citations {
			if cites(it, c) {
				rank = i + 1
				break
			}
		}
	}
	if rank == 1 {
		ks.Top1++
		ks.OK++
	}
	if rank >= 1 && rank <= 5 {
		ks.Top5++
	}
	if rank >= 1 {
		ks.MRR += 1 / float64(rank)
	}
	if a.Kind == chat.KindAnswer && len(it.Expect) > 0 && matches(evalItem{Expect: it.Expect}, a.Answer) {
		ks.Facts++
	}
	if it.Short != "" {
		ks.Shorts++
		if a.Kind == chat.KindAnswer {
			ks.ShortF1 += tokenF1(a.Short, it.Short)
		}
	}
	return rank == 1
}

// cites reports whether a citation is the one an item expects: its text
// (matches), or, for a doc item, its document, or, for a url item, a URL
// that holds the item's (« faq/install.html »).
func cites(it evalItem, c chat.Citation) bool {
	if it.URL != "" {
		return c.URL != "" && strings.Contains(c.URL, it.URL)
	}
	if it.Doc != "" {
		return strings.EqualFold(c.Doc, it.Doc)
	}
	return matches(it, c.Text)
}

// matches applies the README's rule: expect holds a fact the text must
// contain; gold is a paragraph that must overlap the text.
func matches(it evalItem, text string) bool {
	t := normalize(text)
	for _, e := range it.Expect {
		if strings.Contains(t, normalize(e)) {
			return true
		}
	}
	if it.Gold != "" {
		g := normalize(it.Gold)
		return strings.Contains(t, g) || strings.Contains(g, t)
	}
	return false
}

func normalize(s string) string {
	s = strings.ToLower(strings.NewReplacer("’", "'", "ʼ", "'").Replace(s))
	return strings.Join(strings.Fields(s), " ")
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func printReport(out io.Writer, rep evalReport) {
	kinds := make([]string, 0, len(rep.ByKind))
	for k := range rep.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "type\tquestions\ttop-1\ttop-5\tMRR\tfait dans la réponse\tréponse courte (F1)\tcorrectes\t")
	var all kindScore
	for _, k := range kinds {
		ks := rep.ByKind[k]
		all.N += ks.N
		all.Graded += ks.Graded
		all.Top1 += ks.Top1
		all.Top5 += ks.Top5
		all.MRR += ks.MRR
		all.Facts += ks.Facts
		all.OK += ks.OK
		all.Shorts += ks.Shorts
		all.ShortF1 += ks.ShortF1
		printRow(tw, k, ks)
	}
	printRow(tw, "total", &all)
	tw.Flush()
}

func printRow(tw io.Writer, name string, ks *kindScore) {
	short := "-"
	if ks.Shorts > 0 {
		short = fmt.Sprintf("%.3f", ks.ShortF1/float64(ks.Shorts))
	}
	if ks.Graded == 0 {
		fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\t-\t%s\t%d/%d\t\n", name, ks.N, short, ks.OK, ks.N)
		return
	}
	g := float64(ks.Graded)
	fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%d\t%s\t%d/%d\t\n", name, ks.N,
		float64(ks.Top1)/g, float64(ks.Top5)/g, ks.MRR/g, ks.Facts, short, ks.OK, ks.N)
}

// shortArticles are the words token F1 leaves out, as SQuAD leaves out
// English articles (../shared/eval/README.md).
var shortArticles = map[string]bool{"le": true, "la": true, "les": true, "l": true, "un": true, "une": true,
	"des": true, "du": true, "de": true, "d": true}

// shortTokens splits a short answer for token F1: lower case, punctuation
// and French articles dropped.
func shortTokens(s string) []string {
	s = strings.ToLower(strings.NewReplacer("’", "'", "ʼ", "'").Replace(s))
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := words[:0]
	for _, w := range words {
		if !shortArticles[w] {
			out = append(out, w)
		}
	}
	return out
}

// tokenF1 is the token F1 of got against want (SQuAD's measure).
func tokenF1(got, want string) float64 {
	g, w := shortTokens(got), shortTokens(want)
	if len(g) == 0 || len(w) == 0 {
		if len(g) == len(w) {
			return 1
		}
		return 0
	}
	count := map[string]int{}
	for _, t := range w {
		count[t]++
	}
	common := 0
	for _, t := range g {
		if count[t] > 0 {
			count[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(len(g)), float64(common)/float64(len(w))
	return 2 * p * r / (p + r)
}
