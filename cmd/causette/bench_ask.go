package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// runBenchAsk times answers in process, engine included: `causette bench
// ask`. Questions come one a line from --questions (a JSONL eval set or
// plain text); each is asked --rounds times, on its own.
func runBenchAsk(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	questions := fs.String("questions", "", "questions, une par ligne (texte) ou un jeu d'évaluation .jsonl")
	rounds := fs.Int("rounds", 3, "tours sur l'ensemble des questions")
	cpuProfile := fs.String("cpuprofile", "", "fichier où écrire le profil CPU des réponses (go tool pprof)")
	slowest := fs.Int("slowest", 0, "affiche les N questions les plus lentes")
	dir := corpusFlag(fs)
	indexDir := indexFlag(fs, "", indexUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	ix, eng, err := openEngine(dir, *indexDir, 0, nil)
	if err != nil {
		return err
	}
	built := time.Since(start)
	var qs []string
	switch {
	case *questions == "":
		qs = eng.Starters()
	case strings.HasSuffix(*questions, ".jsonl"):
		if qs, err = readQuestions(*questions); err != nil {
			return err
		}
	default:
		if qs, err = readLines(*questions); err != nil {
			return err
		}
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(stdout, "corpus : %d passages, prêt en %v, tas %d Mo après GC\n",
		ix.Stats().Passages, built.Round(time.Millisecond), ms.HeapAlloc>>20)
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	var lat []time.Duration
	type timed struct {
		q string
		d time.Duration
	}
	var slow []timed
	for range *rounds {
		for _, q := range qs {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t := time.Now()
			if _, err := eng.Ask(q, ""); err != nil {
				continue
			}
			lat = append(lat, time.Since(t))
			slow = append(slow, timed{q, lat[len(lat)-1]})
		}
	}
	if len(lat) == 0 {
		return fmt.Errorf("bench ask : aucune question")
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(time.Microsecond) }
	fmt.Fprintf(stdout, "%d réponses : p50 %v, p90 %v, p99 %v, max %v\n", len(lat), pct(0.5), pct(0.9), pct(0.99), pct(1))
	slices.SortFunc(slow, func(a, b timed) int { return int(b.d - a.d) })
	for _, s := range slow[:min(*slowest, len(slow))] {
		fmt.Fprintf(stdout, "%10v  %s\n", s.d.Round(time.Microsecond), oneLine(s.q))
	}
	return nil
}

// readLines reads the non-blank lines of a text file.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
