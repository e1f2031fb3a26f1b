// Command causette answers questions about a corpus of French documents:
// on the command line (ask, chat, search, eval, index, log) and on the web
// (serve, measured by bench).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Causette répond aux questions sur un corpus de documents en français.

Usage :
  causette ask [--json] [--top N] [--corpus DIR] [QUESTION]   une question (ou une par ligne sur l'entrée)
  causette chat [--json] [--corpus DIR]                       une conversation, un tour par ligne
  causette search [--top N] [--corpus DIR] TERMES             les passages classés, avec leurs scores
  causette eval [--corpus DIR] FICHIER.jsonl                  mesure la qualité sur un jeu d'évaluation
  causette index --stats [--corpus DIR]                       décrit l'index
  causette crawl --out DIR [--max-pages N] URL...             recopie un site dans un dossier de corpus
  causette qa export|import [FICHIER]                         les réponses de l'équipe, en feuille CSV ou TSV
  causette backup FICHIER                                     copie la base du serveur pendant qu'il tourne
  causette staff add|list|passwd|role|remove [NOM]            les comptes de la console de l'équipe
  causette serve [--addr HÔTE:PORT] [--corpus DIR] ...        le chat web, l'API, le widget et la console
  causette bench ws [--conns N] [--questions FICHIER]         charge WebSocket : réponses/s, p50, p99
  causette log unanswered|disliked|top [--since 7d] [--csv]   le journal des questions des visiteurs

« causette COMMANDE -h » détaille les options d'une commande.

Sans --corpus, Causette sert le corpus intégré (un article sur Mistral AI).
`

// commands maps a subcommand name to its Run function.
var commands = map[string]func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error{
	"ask":    runAsk,
	"chat":   runChat,
	"search": runSearch,
	"eval":   runEval,
	"index":  runIndex,
	"serve":  runServe,
	"bench":  runBench,
	"log":    runLog,
	"crawl":  runCrawl,
	"qa":     runQA,
	"backup": runBackup,
	"staff":  runStaff,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "causette:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return errors.New("il manque une commande")
		}
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("commande inconnue %q", args[0])
	}
	return cmd(ctx, args[1:], stdin, stdout, stderr)
}
