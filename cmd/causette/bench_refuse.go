package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
)

// refuseThresholds are the confidence thresholds bench refuse reports on.
var refuseThresholds = []float64{0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6}

// runBenchRefuse measures refusals on realistic out-of-scope questions: it
// takes one corpus file in --out (chosen by a hash of its name) out of the
// corpus, asks every question of the set, and reports, for a range of
// confidence thresholds, the share of the questions about the files taken
// out that are refused, beside the top-1 on the others: the data the
// answer threshold is calibrated on.
func runBenchRefuse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench refuse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	questions := fs.String("questions", "", "jeu d'évaluation .jsonl dont les questions ont un paragraphe gold")
	out := fs.Int("out", 3, "un fichier du corpus sur N est retiré")
	salt := fs.String("salt", "", "ajouté au nom des fichiers avant le hachage : un autre tirage des fichiers retirés")
	dir := corpusFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *questions == "" || dir.Dir == "" || *out < 2 {
		return errors.New("bench refuse : donnez --corpus DIR, --questions FICHIER.jsonl et --out N (N ≥ 2)")
	}
	items, err := readEval(*questions)
	if err != nil {
		return err
	}
	kept, err := os.MkdirTemp("", "causette-refuse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(kept)
	entries, err := os.ReadDir(dir.Dir)
	if err != nil {
		return err
	}
	removed := map[string]string{} // name -> normalised text, of the files taken out
	keptFiles := 0
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir.Dir, e.Name()))
		if err != nil {
			return err
		}
		h := fnv.New32a()
		h.Write([]byte(*salt + e.Name()))
		isDoc := strings.HasSuffix(e.Name(), ".txt") || strings.HasSuffix(e.Name(), ".md")
		if isDoc && h.Sum32()%uint32(*out) == 0 {
			removed[e.Name()] = normalize(string(data))
			continue
		}
		if err := os.WriteFile(filepath.Join(kept, e.Name()), data, 0o600); err != nil {
			return err
		}
		if isDoc {
			keptFiles++
		}
	}
	ix, err := index.Open(index.Options{Corpus: kept})
	if err != nil {
		return err
	}
	defer ix.Close()
	// A threshold above zero and under any confidence: every answer comes
	// back with its confidence, and each threshold is applied here.
	eng := chat.New(ix, chat.Options{Threshold: 1e-9})
	type result struct {
		outOfScope, right bool
		answered          bool
		confidence        float64
	}
	var results []result
	for _, it := range items {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if it.Gold == "" {
			continue
		}
		gold := normalize(it.Gold)
		r := result{}
		for _, text := range removed {
			if strings.Contains(text, gold) {
				r.outOfScope = true
				break
			}
		}
		a, err := eng.Ask(it.Q, "")
		if err != nil {
			continue
		}
		r.answered = a.Kind == chat.KindAnswer
		r.confidence = a.Confidence
		r.right = r.answered && len(a.Citations) > 0 && cites(it, a.Citations[0])
		results = append(results, r)
	}
	var oos, in int
	for _, r := range results {
		if r.outOfScope {
			oos++
		} else {
			in++
		}
	}
	if oos == 0 || in == 0 {
		return fmt.Errorf("bench refuse : %d questions hors corpus, %d dans le corpus : il faut des deux", oos, in)
	}
	fmt.Fprintf(stdout, "%d fichiers gardés, %d retirés ; %d questions sur les fichiers retirés, %d sur les autres\n",
		keptFiles, len(removed), oos, in)
	fmt.Fprintln(stdout, "seuil  refusées (hors corpus)  top-1 (dans le corpus)  refusées à tort")
	for _, th := range refuseThresholds {
		refused, right, wrongRefusal := 0, 0, 0
		for _, r := range results {
			answers := r.answered && r.confidence >= th
			switch {
			case r.outOfScope && !answers:
				refused++
			case !r.outOfScope && answers && r.right:
				right++
			case !r.outOfScope && !answers:
				wrongRefusal++
			}
		}
		mark := ""
		if th == chat.DefaultThreshold {
			mark = "  (en service)"
		}
		fmt.Fprintf(stdout, "%5.2f  %23.3f  %22.3f  %15.3f%s\n", th, float64(refused)/float64(oos),
			float64(right)/float64(in), float64(wrongRefusal)/float64(in), mark)
	}
	// How often an answer is right, by band of confidence: where answers
	// become more often wrong than right, they should say they are unsure.
	fmt.Fprintln(stdout, "confiance  réponses  justes")
	for band := range 10 {
		lo := float64(band) / 10
		n, right := 0, 0
		for _, r := range results {
			if r.answered && r.confidence >= lo && (r.confidence < lo+0.1 || band == 9) {
				n++
				if r.right && !r.outOfScope {
					right++
				}
			}
		}
		if n > 0 {
			fmt.Fprintf(stdout, "%.1f–%.1f  %8d  %6.3f\n", lo, lo+0.1, n, float64(right)/float64(n))
		}
	}
	return nil
}
