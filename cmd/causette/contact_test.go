package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/web"
)

// TestServeContactFlagsChecked: a webhook that is no http(s) address, or
// without its secret, or without the form, stops serve at start with a
// French error.
func TestServeContactFlagsChecked(t *testing.T) {
	t.Setenv(webhookSecretEnv, "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--contact-form", "--contact-webhook", "ftp://outil.exemple.fr", "--contact-webhook-secret", "s"}, "adresse http(s) complète"},
		{[]string{"--contact-form", "--contact-webhook", "https://outil.exemple.fr/hook"}, "demande un secret"},
		{[]string{"--contact-webhook", "https://outil.exemple.fr/hook", "--contact-webhook-secret", "s"}, "ajoutez --contact-form"},
	} {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "data"),
			"--staff-token", "test-token-0123456789"}, tt.args...)
		err := run(context.Background(), args, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("serve %q: %v; want an error saying %q", tt.args, err, tt.want)
		}
	}
}

// TestServeContactForm: with --contact-form and a webhook whose secret
// comes from the environment, a visitor's request reaches the webhook,
// signed.
func TestServeContactForm(t *testing.T) {
	const secret = "secret-de-test"
	t.Setenv(webhookSecretEnv, secret)
	got := make(chan string, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get(web.SignatureHeader) == web.Sign(secret, r.Header.Get(web.TimestampHeader), body) {
			select {
			case got <- string(body):
			default:
			}
		}
	}))
	defer hook.Close()
	addr, done, cancel := startServe(t, filepath.Join(t.TempDir(), "data"), "--contact-form", "--contact-webhook", hook.URL)
	defer func() { cancel(); <-done }()
	resp, err := http.Post("http://"+addr+"/api/contact", "application/json", strings.NewReader(`{"message":"Bonjour l’équipe"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/contact: %d; want 201", resp.StatusCode)
	}
	select {
	case body := <-got:
		if !strings.Contains(body, "Bonjour l’équipe") || !strings.Contains(body, "/staff#demandes") {
			t.Errorf("webhook body %s; want the message and the console's link", body)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no signed webhook call within 30 s")
	}
}
