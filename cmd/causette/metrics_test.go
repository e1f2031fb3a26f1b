package main

import (
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeMetricsApart serves /metrics on --metrics-addr only: the figures
// count a question asked on the chat's address, which does not serve them.
func TestServeMetricsApart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close()
	addr, done, cancel := startServe(t, filepath.Join(t.TempDir(), "data"), "--metrics-addr", metricsAddr)
	defer func() { cancel(); <-done }()
	waitReady(t, addr)
	resp, err := http.Post("http://"+addr+"/api/ask", "application/json", strings.NewReader(`{"q":"Qui a fondé Mistral AI ?"}`))
	if err != nil {
		t.Fatalf("POST /api/ask: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST /api/ask: status %d", resp.StatusCode)
	}
	body := getBody(t, "http://"+metricsAddr+"/metrics", 200)
	for _, want := range []string{`causette_answers_total{channel="api",kind="answer"} 1`, "causette_question_log_up 1", "causette_corpus_info{"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("the chat's address serves /metrics too; want it on --metrics-addr only")
		}
	}
}

// getBody fetches url and returns its body, failing unless the status is want.
func getBody(t *testing.T, url string, want int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d; want %d", url, resp.StatusCode, want)
	}
	return string(b)
}

// waitReady waits for serve's first corpus to be in service (/readyz 200).
func waitReady(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve at %s not ready after 30 s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
