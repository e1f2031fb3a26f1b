package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/causette/causette/web/store"
)

const webhookTestSecret = "secret-du-webhook"

// testRetryBase makes the back-off quick: 1, 2, 4 ms...
const testRetryBase = time.Millisecond

// withWebhook points the console's webhook at url, with a quick back-off.
func withWebhook(url string, attempts int) func(*StaffConfig) {
	return func(sc *StaffConfig) {
		sc.Webhook = &WebhookConfig{URL: url, Secret: webhookTestSecret, ConsoleURL: "https://faq.exemple.fr/staff#demandes",
			RetryBase: testRetryBase, Attempts: attempts}
	}
}

// hookCall is one request a test webhook received.
type hookCall struct {
	body      []byte
	timestamp string
	signature string
}

// webhookServer answers each call with the next of statuses (the last one
// repeated) and hands every call to the channel returned.
func webhookServer(t *testing.T, statuses ...int) (*httptest.Server, <-chan hookCall) {
	t.Helper()
	calls := make(chan hookCall, 64)
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		calls <- hookCall{body: body, timestamp: r.Header.Get(TimestampHeader), signature: r.Header.Get(SignatureHeader)}
		i := min(int(n.Add(1))-1, len(statuses)-1)
		w.WriteHeader(statuses[i])
	}))
	t.Cleanup(ts.Close)
	return ts, calls
}

// nextCall waits for the webhook's next call.
func nextCall(t *testing.T, calls <-chan hookCall) hookCall {
	t.Helper()
	select {
	case c := <-calls:
		return c
	case <-time.After(testTimeout):
		t.Fatalf("no webhook call within %v", testTimeout)
		return hookCall{}
	}
}

// deliveryOf waits until the only request's delivery is in state, and
// returns it.
func deliveryOf(t *testing.T, f *staffFixture, state string) store.Delivery {
	t.Helper()
	var d store.Delivery
	eventually(t, "delivery "+state, func() bool {
		got := storedRequests(t, f.Log)
		if len(got) == 1 {
			d = got[0].Webhook
		}
		return d.State == state
	})
	return d
}

// TestWebhookDeliversSigned: the request arrives as JSON with the time it
// was sent, signed with the secret over that time and the exact body, and
// is marked delivered.
func TestWebhookDeliversSigned(t *testing.T) {
	ts, calls := webhookServer(t, http.StatusNoContent)
	f := newContactFixture(t, withWebhook(ts.URL, 3))
	turn := askTurn(t, f.URL, "Qui est le PDG de Mistral ?")
	before := time.Now().Unix()
	postContact(t, f.URL, fmt.Sprintf(`{"message":"Rappelez-moi","email":"ana@exemple.fr","turns":[%q]}`, turn))
	c := nextCall(t, calls)
	after := time.Now().Unix()
	if sent, err := strconv.ParseInt(c.timestamp, 10, 64); err != nil || sent < before || sent > after {
		t.Errorf("%s: %q; want the Unix seconds of the call, between %d and %d", TimestampHeader, c.timestamp, before, after)
	}
	m := hmac.New(sha256.New, []byte(webhookTestSecret))
	m.Write([]byte(c.timestamp + "." + string(c.body)))
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); c.signature != want {
		t.Errorf("%s: %q; want %q (HMAC-SHA256 of the timestamp, \".\" and the body)", SignatureHeader, c.signature, want)
	}
	var got webhookBody
	if err := json.Unmarshal(c.body, &got); err != nil {
		t.Fatalf("webhook body %s: %v", c.body, err)
	}
	if got.ID == 0 || got.Message != "Rappelez-moi" || got.Email != "ana@exemple.fr" || len(got.Turns) != 1 ||
		got.Turns[0].Question != "Qui est le PDG de Mistral ?" || got.Console != "https://faq.exemple.fr/staff#demandes" || got.Time.IsZero() {
		t.Errorf("webhook body %s; want the request's id, time, message, address, turn and the console's link", c.body)
	}
	if d := deliveryOf(t, f, store.DeliveryDelivered); d.Attempts != 1 {
		t.Errorf("delivered after %d attempts; want 1", d.Attempts)
	}
}

// TestWebhookRetriesAFailure: a 500 is tried again, and the 200 after it
// delivers.
func TestWebhookRetriesAFailure(t *testing.T) {
	ts, calls := webhookServer(t, http.StatusInternalServerError, http.StatusOK)
	f := newContactFixture(t, withWebhook(ts.URL, 5))
	postContact(t, f.URL, `{"message":"Bonjour"}`)
	first, second := nextCall(t, calls), nextCall(t, calls)
	if string(first.body) != string(second.body) {
		t.Errorf("retry sent %s; want the same body as the first try, %s", second.body, first.body)
	}
	if d := deliveryOf(t, f, store.DeliveryDelivered); d.Attempts != 2 {
		t.Errorf("delivered after %d attempts; want 2 (a 500, then a 200)", d.Attempts)
	}
}

// TestWebhookGivesUp: a webhook that always fails is tried the attempts
// allowed, then the delivery is marked failed with why.
func TestWebhookGivesUp(t *testing.T) {
	ts, calls := webhookServer(t, http.StatusBadGateway)
	const attempts = 3
	f := newContactFixture(t, withWebhook(ts.URL, attempts))
	postContact(t, f.URL, `{"message":"Bonjour"}`)
	d := deliveryOf(t, f, store.DeliveryFailed)
	if d.Attempts != attempts || !strings.Contains(d.Error, "502") {
		t.Errorf("failed delivery %+v; want %d attempts and the status in the error", d, attempts)
	}
	if n := len(calls); n != attempts {
		t.Errorf("webhook called %d times; want %d, then no more", n, attempts)
	}
}

// TestWebhookNeverBlocksTheVisitor: the visitor's POST returns while the
// webhook is still answering.
func TestWebhookNeverBlocksTheVisitor(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(func() { close(release) }) // runs before ts.Close
	f := newContactFixture(t, withWebhook(ts.URL, 3))
	client := &http.Client{Timeout: testTimeout} // a POST waiting for the webhook fails here
	resp, err := client.Post(f.URL+"/api/contact", "application/json", strings.NewReader(`{"message":"Bonjour"}`))
	if err != nil {
		t.Fatalf("POST /api/contact with the webhook blocked: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/contact with the webhook blocked: %d; want 201", resp.StatusCode)
	}
	select {
	case <-entered: // the delivery was under way, blocked, as the visitor got the answer
	case <-time.After(testTimeout):
		t.Fatal("the webhook was never called")
	}
	if got := storedRequests(t, f.Log); len(got) != 1 || got[0].Webhook.State != store.DeliveryPending {
		t.Errorf("while the webhook hangs, inbox %+v; want the request, its delivery pending", got)
	}
}

// TestWebhookResumesAfterRestart: a delivery pending when the server
// stopped is made at the next start.
func TestWebhookResumesAfterRestart(t *testing.T) {
	ts, calls := webhookServer(t, http.StatusOK)
	f := newContactFixture(t)
	r, err := f.Log.AddRequest(t.Context(), store.Request{Message: "Laissée en attente"}, true)
	if err != nil {
		t.Fatal(err)
	}
	ix, eng := mustEngine(t)
	sc := StaffConfig{Token: staffTestToken, Log: f.Log, Engine: eng, Index: ix, Logger: quietLogger(), ContactForm: true}
	withWebhook(ts.URL, 3)(&sc)
	st, err := NewStaff(sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	var got webhookBody
	if c := nextCall(t, calls); json.Unmarshal(c.body, &got) != nil || got.ID != r.ID {
		t.Errorf("at start, webhook got %s; want request %d, pending", c.body, r.ID)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestWebhookSuccessKeptWhenStopping: a POST the tool accepted just as the
// server began stopping is recorded as delivered, not sent again at the
// next start.
func TestWebhookSuccessKeptWhenStopping(t *testing.T) {
	f := newContactFixture(t)
	r, err := f.Log.AddRequest(t.Context(), store.Request{Message: "Envoyée à l’arrêt"}, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	o := &outbox{store: f.Log, cfg: WebhookConfig{URL: "https://outil.exemple.fr/hook", Secret: webhookTestSecret,
		RetryBase: testRetryBase, Attempts: 3}, log: quietLogger(),
		client: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			stop() // the server stops while the tool answers 200
			return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}}, nil
		})}}
	o.deliver(ctx, r)
	if got := storedRequests(t, f.Log); len(got) != 1 || got[0].Webhook.State != store.DeliveryDelivered || got[0].Webhook.Attempts != 1 {
		t.Errorf("after a 200 received while stopping, inbox %+v; want the delivery delivered, 1 attempt", got)
	}
}

func TestWebhookChecked(t *testing.T) {
	for _, tt := range []struct {
		cfg  WebhookConfig
		want string
	}{
		{WebhookConfig{URL: "ftp://outil.exemple.fr/hook", Secret: "s"}, "adresse http(s) complète"},
		{WebhookConfig{URL: "/hook", Secret: "s"}, "adresse http(s) complète"},
		{WebhookConfig{URL: "https://outil.exemple.fr/hook"}, "demande un secret"},
	} {
		if err := checkWebhook(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("checkWebhook(%+v): %v; want an error saying %q", tt.cfg, err, tt.want)
		}
	}
	if err := checkWebhook(WebhookConfig{URL: "https://outil.exemple.fr/hook", Secret: "s"}); err != nil {
		t.Errorf("checkWebhook of a good one: %v", err)
	}
}
