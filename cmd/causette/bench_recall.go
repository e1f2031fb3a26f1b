package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/causette/causette/index"
)

// recallTop is how many passages a search hands the engine to rerank: the
// depth at which two stages must find what one full query finds.
const recallTop = 30

// runBenchRecall measures the two-stage search's candidate recall on an
// eval set with expected passages: how often the expected passage (or, for
// a doc item, a passage of the expected document) is among stage one's
// candidates, and among the top recallTop of two stages and of the full
// query.
func runBenchRecall(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench recall", flag.ContinueOnError)
	fs.SetOutput(stderr)
	questions := fs.String("questions", "", "jeu d'évaluation .jsonl (champs gold ou doc)")
	depths := fs.String("candidates", "50,100,200,400", "profondeurs de la première étape à mesurer, séparées par des virgules")
	dir := corpusFlag(fs)
	indexDir := indexFlag(fs, "", indexUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *questions == "" {
		return errors.New("bench recall : donnez --questions FICHIER.jsonl")
	}
	var ks []int
	for _, f := range strings.Split(*depths, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			return fmt.Errorf("bench recall : profondeur %q invalide", f)
		}
		ks = append(ks, k)
	}
	items, err := readEval(*questions)
	if err != nil {
		return err
	}
	ix, err := openIndex(dir, *indexDir)
	if err != nil {
		return err
	}
	defer ix.Close()
	type tally struct{ stageOne, top int }
	byDepth := make([]tally, len(ks))
	full, graded := 0, 0
	found := func(it evalItem, hits []index.Hit) bool {
		for _, h := range hits {
			if (it.Doc != "" && strings.EqualFold(h.Passage.Doc, it.Doc)) || (it.Doc == "" && matches(it, h.Passage.Text)) {
				return true
			}
		}
		return false
	}
	for _, it := range items {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if it.Gold == "" && it.Doc == "" {
			continue
		}
		graded++
		stems := index.Weighted(ix.Terms(it.Q))
		if hits, err := ix.SearchDepth(stems, recallTop, index.Exhaustive); err == nil && found(it, hits) {
			full++
		}
		for i, k := range ks {
			if hits, err := ix.SearchDepth(stems, k, k); err == nil && found(it, hits) {
				byDepth[i].stageOne++
			}
			if hits, err := ix.SearchDepth(stems, recallTop, k); err == nil && found(it, hits) {
				byDepth[i].top++
			}
		}
	}
	if graded == 0 {
		return errors.New("bench recall : aucune question n'attend de passage (gold ou doc)")
	}
	share := func(n int) float64 { return float64(n) / float64(graded) }
	fmt.Fprintf(stdout, "%d questions ; requête complète, top %d : %.3f\n", graded, recallTop, share(full))
	for i, k := range ks {
		ratio := 0.0
		if full > 0 {
			ratio = float64(byDepth[i].top) / float64(full)
		}
		fmt.Fprintf(stdout, "première étape %4d candidats : rappel %.3f ; deux étapes, top %d : %.3f (%.3f de la requête complète)\n",
			k, share(byDepth[i].stageOne), recallTop, share(byDepth[i].top), ratio)
	}
	return nil
}
