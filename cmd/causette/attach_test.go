package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/causette/causette/chat"
)

// TestServeAppliesAttachments checks that a phrasing attached through the
// console's API while serve runs (the index on disk) makes its passage the
// first citation of the next answer to that wording, with no restart.
func TestServeAppliesAttachments(t *testing.T) {
	const (
		wording = "Pourquoi pas chez Tim Cook ?" // no word of it in the seed corpus
		target  = "mistral-ai#p3"                // Mensch refused Apple's offer
	)
	data := filepath.Join(t.TempDir(), "data")
	addr, done, cancel := startServe(t, data)
	defer cancel()
	base := "http://" + addr
	first := func() string {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			resp, err := http.Post(base+"/api/ask", "application/json", strings.NewReader(`{"q":`+strconv.Quote(wording)+`}`))
			if err == nil && resp.StatusCode == http.StatusOK {
				var a chat.Answer
				err = json.NewDecoder(resp.Body).Decode(&a)
				resp.Body.Close()
				if err == nil && len(a.Citations) > 0 {
					return a.Citations[0].ID
				}
				if err == nil {
					return ""
				}
			} else if resp != nil {
				resp.Body.Close()
			}
			if time.Now().After(deadline) {
				t.Fatalf("POST /api/ask: %v", err)
			}
		}
	}
	if got := first(); got == target {
		t.Fatalf("%q already cites %s first", wording, target)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(base+"/staff/signin", url.Values{"token": {"test-token-0123456789"}, "next": {"/staff"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("POST", base+"/staff/api/attachments", strings.NewReader(`{"passage":"`+target+`","phrasings":[`+strconv.Quote(wording)+`]}`))
	req.Header.Set("Content-Type", "application/json")
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /staff/api/attachments: %d %s; want 201", resp.StatusCode, body)
	}
	got := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if got = first(); got == target {
			break
		}
	}
	if got != target {
		t.Errorf("after attaching, %q cites %q first; want %s", wording, got, target)
	}
	cancel()
	<-done
}
