package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parseData parses args into data options.
func parseData(t *testing.T, args ...string) *dataOptions {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	o := dataFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestSecretGeneratedOnceAndKept(t *testing.T) {
	t.Setenv(secretEnv, "")
	dir := filepath.Join(t.TempDir(), "données")
	o := parseData(t, "--data", dir)
	if err := o.ensureDir(); err != nil {
		t.Fatal(err)
	}
	if mode, err := fileMode(dir); err != nil || mode != 0o700 {
		t.Fatalf("data folder %s: %v, mode %v; want 0700", dir, err, mode)
	}
	first, err := o.key()
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != secretBytes {
		t.Errorf("generated key of %d bytes; want %d", len(first), secretBytes)
	}
	if mode, err := fileMode(filepath.Join(dir, secretFileName)); err != nil || mode != 0o600 {
		t.Fatalf("secret file: %v, mode %v; want 0600", err, mode)
	}
	again, err := o.key()
	if err != nil || !bytes.Equal(again, first) {
		t.Errorf("second start read key %x (%v); want the kept %x", again, err, first)
	}
}

func TestSecretGivenByHand(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("k", minSecretLength)
	t.Setenv(secretEnv, long+"-env")
	if key, err := parseData(t, "--data", dir).key(); err != nil || string(key) != long+"-env" {
		t.Errorf("with $%s: key %q, %v; want the variable's value", secretEnv, key, err)
	}
	if key, err := parseData(t, "--data", dir, "--secret", long).key(); err != nil || string(key) != long {
		t.Errorf("with --secret: key %q, %v; want the flag's value over the variable", key, err)
	}
	if _, err := os.Stat(filepath.Join(dir, secretFileName)); err == nil {
		t.Errorf("a secret given by hand still wrote %s", secretFileName)
	}
	if _, err := parseData(t, "--data", dir, "--secret", "court").key(); err == nil || !strings.Contains(err.Error(), "--secret") {
		t.Errorf("--secret court: %v; want an error naming --secret", err)
	}
}

func TestSecretFileDamaged(t *testing.T) {
	t.Setenv(secretEnv, "")
	dir := t.TempDir()
	path := filepath.Join(dir, secretFileName)
	os.WriteFile(path, []byte("pas de l'hexadécimal\n"), 0o600)
	if _, err := parseData(t, "--data", dir).key(); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("damaged secret file: %v; want an error naming %s", err, path)
	}
}

// fileMode is a file's permission bits.
func fileMode(path string) (os.FileMode, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Mode().Perm(), nil
}

func TestDataModesNarrowed(t *testing.T) {
	t.Setenv(secretEnv, "")
	dir := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, secretFileName), []byte(strings.Repeat("ab", 32)+"\n"), 0o644)
	o := parseData(t, "--data", dir)
	if err := o.ensureDir(); err != nil {
		t.Fatal(err)
	}
	if _, err := o.key(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, secretFileName): 0o600} {
		if got, err := fileMode(path); err != nil || got != want {
			t.Errorf("%s left by an older run: mode %v, %v; want narrowed to %v", path, got, err, want)
		}
	}
}
