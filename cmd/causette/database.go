package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/postgres"
	"github.com/causette/causette/web/store/sqlite"
)

// storeStartWait bounds the start's wait for a PostgreSQL store: the
// connection (postgres.connectTimeout) and the migrations, which on a busy
// server wait for another replica's.
const storeStartWait = 30 * time.Second

// dbFlagHelp is --db's help, the same for every command that opens the
// server's database.
const dbFlagHelp = "base du serveur : un fichier SQLite (défaut : " + dbFileName + " dans le dossier --data) " +
	"ou une URL postgres://utilisateur:motdepasse@hôte:5432/base?sslmode=verify-full, partagée par les répliques"

// storeDatabase is the store adapter --db names: a postgres:// (or
// postgresql://) URL, or else a SQLite file.
func storeDatabase(db string) store.Database {
	if postgres.IsURL(db) {
		return postgres.Server{URL: db}
	}
	return sqlite.File{Path: db}
}

// openStore opens the server's log at db for a command (see store.Open:
// it never fails; the commands see the failure in their first call).
func openStore(db string, o store.Options) *store.Log { return store.Open(storeDatabase(db), o) }

// openStoreReadOnly opens the server's log at db for its views only.
func openStoreReadOnly(ctx context.Context, db string) (*store.Log, error) {
	if postgres.IsURL(db) {
		return postgres.OpenReadOnly(ctx, db)
	}
	return sqlite.OpenReadOnly(ctx, db)
}

// dbName is db as messages name it: a URL without its password.
func dbName(db string) string { return storeDatabase(db).Name() }

// checkSharedSecret refuses a PostgreSQL store without a secret given by
// hand: replicas sharing the store must sign and read the same context
// tokens, which a key generated in each one's data folder would not be.
func checkSharedSecret(db string, secret string) error {
	if !postgres.IsURL(db) {
		return nil
	}
	if strings.TrimSpace(secret) == "" && strings.TrimSpace(os.Getenv(secretEnv)) == "" {
		return fmt.Errorf("--db %s : avec une base PostgreSQL partagée, donnez --secret ou $%s, le même à chaque réplique (par exemple : openssl rand -hex 32) : toutes doivent signer et lire les mêmes jetons de contexte", dbName(db), secretEnv)
	}
	return nil
}

// statDB checks that a SQLite file db is there (a PostgreSQL URL is
// checked by opening it).
func statDB(db string) (os.FileInfo, error) {
	if postgres.IsURL(db) {
		return nil, nil
	}
	return os.Stat(db)
}
