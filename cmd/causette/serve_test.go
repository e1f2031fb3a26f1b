package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeHelpListsLimits(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "-h"}, nil, io.Discard, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve -h returned %v; want flag.ErrHelp", err)
	}
	for _, f := range []string{"addr", "corpus", "allow-origin", "max-conns", "max-conns-per-ip", "rate", "rate-burst",
		"read-limit", "send-buffer", "write-wait", "pong-wait", "shutdown-wait", "max-body", "api-rate", "api-burst"} {
		if !strings.Contains(stderr.String(), "-"+f+" ") && !strings.Contains(stderr.String(), "-"+f+"\n") {
			t.Errorf("serve -h does not list -%s:\n%s", f, stderr.String())
		}
	}
}

// lineWriter hands each written line to a channel, and keeps them all.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for _, l := range strings.SplitAfter(string(p), "\n") {
		if strings.HasSuffix(l, "\n") {
			select {
			case w.lines <- l:
			default:
			}
		}
	}
	return len(p), nil
}

// startServe runs `causette serve` on 127.0.0.1 with its data in data and
// returns the address it serves, the channel its result comes on and how
// to stop it.
func startServe(t *testing.T, data string, extra ...string) (addr string, done <-chan error, cancel context.CancelFunc) {
	t.Helper()
	stderr := &lineWriter{lines: make(chan string, 100)}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--staff-token", "test-token-0123456789"}, extra...)
	go func() {
		result <- run(ctx, args, nil, io.Discard, stderr)
	}()
	addrRe := regexp.MustCompile(`msg=serving addr=(\S+)`)
	timeout := time.After(30 * time.Second)
	for addr == "" {
		select {
		case l := <-stderr.lines:
			if m := addrRe.FindStringSubmatch(l); m != nil {
				addr = m[1]
			}
		case err := <-result:
			cancel()
			t.Fatalf("serve returned %v before serving; log:\n%s", err, stderr.buf.String())
		case <-timeout:
			cancel()
			t.Fatalf("serve did not log its address; log:\n%s", stderr.buf.String())
		}
	}
	return addr, result, cancel
}

func TestServeRunsAndStops(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	addr, done, cancel := startServe(t, data)
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /healthz: status %d; want 200", resp.StatusCode)
	}
	// The server's state lives in --data: the folder 0700, the key and the
	// question log 0600.
	for name, want := range map[string]os.FileMode{"": 0o700, secretFileName: 0o600, dbFileName: 0o600} {
		if got, err := fileMode(filepath.Join(data, name)); err != nil || got != want {
			t.Errorf("--data %s: %q: %v, mode %v; want %v", data, name, err, got, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after its context ended; want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop after its context ended")
	}
}

func TestBenchWS(t *testing.T) {
	questions := filepath.Join(t.TempDir(), "q.jsonl")
	data := `{"q": "Qui est le PDG de Mistral ?"}` + "\n" +
		`{"turns": [{"q": "Quel est le modèle phare d'OpenAI ?"}, {"q": "Et celui de Google ?"}]}` + "\n"
	if err := os.WriteFile(questions, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := []string{"bench", "ws", "--conns", "5", "--per-conn", "4", "--interval", "0", "--questions", questions}
	if err := run(context.Background(), args, nil, &out, io.Discard); err != nil {
		t.Fatalf("bench %v: %v", args, err)
	}
	for _, want := range []string{"20 en", "erreurs 0", "réponses/s", "p50", "p99"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestServeRejectsNonPositiveLimits(t *testing.T) {
	for _, args := range [][]string{{"--rate", "0"}, {"--max-conns", "-1"}, {"--pong-wait", "0s"}} {
		err := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("serve %v returned %v; want an error naming %s", args, err, args[0])
		}
	}
}
