package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/causette/causette/web"
)

// TestStaffTokenGenerated: without --staff-token nor the environment
// variable, serve makes a token and logs the sign-in link once.
func TestStaffTokenGenerated(t *testing.T) {
	ix, eng, err := openEngine(&corpusSource{}, "", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, flag, env string
		generated       bool
	}{
		{"no token", "", "", true},
		{"environment", "", "jeton-env-0123456789", false},
		{"flag", "jeton-flag-0123456789", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(staffTokenEnv, tt.env)
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			o := staffFlags(fs)
			data := dataFlags(fs)
			args := []string{"--data", t.TempDir()}
			if tt.flag != "" {
				args = append(args, "--staff-token", tt.flag)
			}
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			cfg := web.Config{Engine: eng, Index: ix, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			closeLog, _, err := o.attach(&cfg, ":8080", data, "", false)
			if err != nil {
				t.Fatal(err)
			}
			defer closeLog()
			n := strings.Count(logs.String(), "http://localhost:8080/staff/signin#jeton=")
			if want := map[bool]int{true: 1, false: 0}[tt.generated]; n != want {
				t.Errorf("%s: the sign-in link is logged %d times; want %d\n%s", tt.name, n, want, logs.String())
			}
			if cfg.OnTurn == nil || cfg.OnFeedback == nil || len(cfg.Routes) == 0 {
				t.Errorf("%s: attach left the config without the question log's callbacks or the console's routes", tt.name)
			}
		})
	}
}

func TestStaffTokenTooShortRefused(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--staff-token", "a"},
		nil, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--staff-token") || !strings.Contains(err.Error(), "16") {
		t.Errorf("serve --staff-token a: %v; want an error asking for 16 characters", err)
	}
}

func TestServeHelpListsStaffFlags(t *testing.T) {
	var stderr bytes.Buffer
	run(context.Background(), []string{"serve", "-h"}, nil, io.Discard, &stderr)
	for _, f := range []string{"db", "log-days", "staff-token", "data", "secret", "trusted-proxy", "public-url", "tls-cert", "tls-key"} {
		if !strings.Contains(stderr.String(), "-"+f+" ") {
			t.Errorf("serve -h does not list -%s", f)
		}
	}
}
