package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/causette/causette/chat"
)

// Where a server keeps its state (see the README: « Où vivent les données »).
const (
	// defaultDataDir holds the question log, the index and the secret.
	defaultDataDir = "causette-data"
	// dbFileName is the question log's file in the data folder.
	dbFileName = "causette.db"
	// secretFileName is the context-token key's file in the data folder.
	secretFileName = "secret"
	// secretEnv names the environment variable holding the secret.
	secretEnv = "CAUSETTE_SECRET"
	// minSecretFileBytes is the shortest key a secret file may hold: 128
	// bits, beyond guessing; one we generate has secretBytes.
	minSecretFileBytes = 16
	// secretBytes is the size of a generated key: HMAC-SHA256's own.
	secretBytes = chat.SecretBytes
	// minSecretLength is the shortest secret given by hand: 32 characters
	// of `openssl rand -hex 16` or a passphrase of that length are beyond
	// guessing.
	minSecretLength = 32
)

// dataOptions are the flags that say where a server's state lives.
type dataOptions struct {
	dir    *string
	secret *string
}

// dataFlags adds --data and --secret.
func dataFlags(fs *flag.FlagSet) *dataOptions {
	return &dataOptions{
		dir: fs.String("data", defaultDataDir, "dossier des données du serveur (journal, secret), créé en 0700"),
		secret: fs.String("secret", "", "clé qui signe les jetons de contexte, la même pour toutes les répliques "+
			"(défaut : $"+secretEnv+", sinon une clé générée et gardée dans le dossier --data)"),
	}
}

// ensureDir creates the data folder (0700) when missing, and narrows an
// existing one that others could read.
func (o *dataOptions) ensureDir() error {
	if err := os.MkdirAll(*o.dir, 0o700); err != nil {
		return fmt.Errorf("--data %s : %w", *o.dir, err)
	}
	return narrow(*o.dir, 0o700)
}

// narrow takes from path the permissions beyond perm (group and others).
func narrow(path string, perm os.FileMode) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s : %w", path, err)
	}
	if fi.Mode().Perm()&^perm != 0 {
		if err := os.Chmod(path, fi.Mode().Perm()&perm); err != nil {
			return fmt.Errorf("%s : %w", path, err)
		}
	}
	return nil
}

// path is name inside the data folder.
func (o *dataOptions) path(name string) string { return filepath.Join(*o.dir, name) }

// key returns the key that signs context tokens: --secret, else
// $CAUSETTE_SECRET, else the data folder's secret file, generated (0600)
// the first time.
func (o *dataOptions) key() ([]byte, error) {
	if s := strings.TrimSpace(*o.secret); s != "" {
		return handSecret("--secret", s)
	}
	if s := strings.TrimSpace(os.Getenv(secretEnv)); s != "" {
		return handSecret("$"+secretEnv, s)
	}
	return loadOrCreateSecret(o.path(secretFileName))
}

// handSecret checks a secret given by hand.
func handSecret(from, s string) ([]byte, error) {
	if n := utf8.RuneCountInString(s); n < minSecretLength {
		return nil, fmt.Errorf("%s : %d caractères, il en faut au moins %d (par exemple : openssl rand -hex 32)", from, n, minSecretLength)
	}
	return []byte(s), nil
}

// loadOrCreateSecret reads the key in path, or writes a new random one there.
func loadOrCreateSecret(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, secretBytes)
		rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateSecret(path) // another process wrote it first
		}
		if err != nil {
			return nil, fmt.Errorf("secret %s : %w", path, err)
		}
		_, werr := f.WriteString(hex.EncodeToString(key) + "\n")
		if serr := f.Sync(); werr == nil {
			werr = serr // on disk before any token is signed with it
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(path)
			return nil, fmt.Errorf("secret %s : %w", path, werr)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secret %s : %w", path, err)
	}
	if err := narrow(path, 0o600); err != nil {
		return nil, fmt.Errorf("secret %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < minSecretFileBytes {
		return nil, fmt.Errorf("secret %s : illisible (attendu : %d octets en hexadécimal) ; supprimez-le pour en générer un autre", path, secretBytes)
	}
	return key, nil
}
