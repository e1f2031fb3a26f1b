package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/causette/causette/web/store/postgres"
	"github.com/causette/causette/web/store/sqlite"
)

// runBackup copies the server's database (question log, team's answers)
// to a file while the server runs: restore it by stopping the server and
// putting the copy in the database's place.
func runBackup(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", dbFlagHelp)
	dataDir := fs.String("data", defaultDataDir, "dossier des données du serveur")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup : donnez le fichier de la copie, par exemple causette-2026-12-02.db")
	}
	if *db == "" {
		*db = filepath.Join(*dataDir, dbFileName)
	}
	if postgres.IsURL(*db) {
		return fmt.Errorf("backup : la base %s est sur PostgreSQL : sauvegardez-la avec pg_dump (par exemple : pg_dump --format=custom --file=causette.dump \"$URL\"), voir docs/deploy.md", dbName(*db))
	}
	if _, err := statDB(*db); err != nil {
		return fmt.Errorf("backup : base %s illisible : %w", *db, err)
	}
	if err := sqlite.Backup(ctx, *db, fs.Arg(0)); err != nil {
		return fmt.Errorf("backup : %w", err)
	}
	fmt.Fprintf(stdout, "copie de %s écrite dans %s\n", terminalSafe(*db), terminalSafe(fs.Arg(0)))
	return nil
}
