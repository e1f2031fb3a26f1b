package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/causette/causette/web/store"
)

// The contact webhook (serve --contact-webhook): each new request is POSTed
// as JSON to a ticketing tool, signed with HMAC-SHA256 of the time it was
// sent and the exact body (X-Causette-Timestamp, X-Causette-Signature, so a
// captured call cannot be replayed later), in the background (the visitor never waits), and
// retried with exponential back-off. The requests table is the outbox: a
// delivery's state is stored with its request, so a restart resumes the
// deliveries still pending.

// Webhook delivery.
const (
	// SignatureHeader carries "sha256=" and the hex HMAC-SHA256, with the
	// webhook's secret, of TimestampHeader's value, ".", and the body (see
	// Sign).
	SignatureHeader = "X-Causette-Signature"
	// TimestampHeader carries when the call was sent, in Unix seconds: it
	// is signed with the body, so a receiver refusing old timestamps
	// (docs/staff.md says 5 minutes) refuses a replayed call.
	TimestampHeader = "X-Causette-Timestamp"
	// webhookTimeout bounds one delivery: a ticketing tool answers in a
	// second or two; one that hangs is tried again later.
	webhookTimeout = 10 * time.Second
	// outboxLease is how long a replica holds a delivery it claimed: a try
	// (webhookTimeout) and the outcome's write, with room to spare. A
	// replica that dies meanwhile leaves it due again after this.
	outboxLease = 3 * webhookTimeout
	// DefaultWebhookRetryBase is the wait after a first failure; each
	// further failure doubles it, up to webhookRetryCap.
	DefaultWebhookRetryBase = time.Second
	// webhookRetryCap bounds the wait between two tries: a tool down for
	// the night is tried every half hour, not once a day.
	webhookRetryCap = 30 * time.Minute
	// DefaultWebhookAttempts is how many tries a delivery gets before it
	// is marked failed (shown in the console): with the doubling,
	// about two hours of trying (1 s + 2 s + … + 17 min, then 30 min thrice).
	DefaultWebhookAttempts = 15
	// webhookBatch is how many due deliveries are read at once.
	webhookBatch = 20
	// outboxRecheck is how soon the outbox looks again when the database
	// could not be read.
	outboxRecheck = 30 * time.Second
	// outboxIdle is how long the outbox sleeps with nothing pending: a new
	// request wakes it at once.
	outboxIdle = time.Hour
	// maxWebhookError bounds the failure kept with a delivery.
	maxWebhookError = 200
)

// WebhookConfig says where new requests go.
type WebhookConfig struct {
	// URL is the absolute http(s) address requests are POSTed to.
	URL string
	// Secret signs each body (see SignatureHeader); required.
	Secret string
	// ConsoleURL is the inbox's address, sent with each request so the
	// ticket links back ("" leaves the link out).
	ConsoleURL string
	// RetryBase is the wait after a first failure (DefaultWebhookRetryBase
	// when 0); tests shrink it.
	RetryBase time.Duration
	// Attempts bounds the tries of one delivery (DefaultWebhookAttempts
	// when 0).
	Attempts int
}

// checkWebhook refuses an address that is not absolute http(s), or a
// webhook without its secret.
func checkWebhook(c WebhookConfig) error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--contact-webhook %q : une adresse http(s) complète est attendue (https://outil.exemple.fr/hook)", c.URL)
	}
	if c.Secret == "" {
		return errors.New("--contact-webhook demande un secret : --contact-webhook-secret ou CAUSETTE_WEBHOOK_SECRET")
	}
	return nil
}

// webhookBody is what the webhook receives for a request.
type webhookBody struct {
	ID      int64               `json:"id"`
	Time    time.Time           `json:"time"`
	Message string              `json:"message"`
	Email   string              `json:"email"`
	Turns   []store.RequestTurn `json:"turns"`
	Console string              `json:"console,omitempty"`
}

// Sign returns the X-Causette-Signature value of body sent at timestamp
// (the X-Causette-Timestamp value) with secret: the HMAC of timestamp, "."
// and body, as Stripe and Slack sign theirs, so the time cannot be changed
// without the signature failing.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// outbox delivers the pending requests, one goroutine for all.
type outbox struct {
	store  requestStore
	cfg    WebhookConfig
	client *http.Client
	log    *slog.Logger
	wake   chan struct{} // a new request is pending
	stop   context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// newOutbox starts delivering what requests has pending.
func newOutbox(requests requestStore, cfg WebhookConfig, logger *slog.Logger) *outbox {
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = DefaultWebhookRetryBase
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = DefaultWebhookAttempts
	}
	ctx, stop := context.WithCancel(context.Background())
	o := &outbox{
		store: requests,
		cfg:   cfg,
		client: &http.Client{Timeout: webhookTimeout,
			// A redirect is not a delivery: the address is the owner's to fix.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		log:  logger,
		wake: make(chan struct{}, 1),
		stop: stop,
		done: make(chan struct{}),
	}
	go o.run(ctx)
	return o
}

// poke tells the outbox a request is pending; it never waits. A nil outbox
// (no webhook) does nothing.
func (o *outbox) poke() {
	if o == nil {
		return
	}
	select {
	case o.wake <- struct{}{}:
	default: // already told
	}
}

// close stops the deliveries (one in flight is cut) and waits for the
// goroutine; what is pending goes at the next start.
func (o *outbox) close() {
	if o == nil {
		return
	}
	o.once.Do(o.stop)
	<-o.done
}

// run delivers what is due, then sleeps until the next delivery is due or
// a new request comes.
func (o *outbox) run(ctx context.Context) {
	defer close(o.done)
	for {
		o.deliverDue(ctx)
		timer := time.NewTimer(o.untilNext(ctx))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-o.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// untilNext is how long to sleep before the next delivery is due.
func (o *outbox) untilNext(ctx context.Context) time.Duration {
	next, ok, err := o.store.NextDelivery(ctx)
	switch {
	case err != nil:
		return outboxRecheck
	case !ok:
		return outboxIdle
	}
	return max(time.Until(next), 0)
}

// deliverDue tries every delivery due, a batch at a time.
func (o *outbox) deliverDue(ctx context.Context) {
	for ctx.Err() == nil {
		due, err := o.store.DueDeliveries(ctx, time.Now(), webhookBatch)
		if err != nil {
			if ctx.Err() == nil {
				o.log.Warn("contact webhook: outbox unreadable", "err", err)
			}
			return
		}
		if len(due) == 0 {
			return
		}
		for _, r := range due {
			if ctx.Err() != nil {
				return
			}
			o.deliver(ctx, r)
		}
	}
}

// deliver tries request r once and records the outcome: delivered on a
// 2xx, tried again after a back-off otherwise, failed past the attempts.
// It claims the delivery first: another replica sharing the store may
// have found it due too, and one alone sends it.
func (o *outbox) deliver(ctx context.Context, r store.Request) {
	claimed, err := o.store.ClaimDelivery(ctx, r.ID, r.Webhook.Attempts, time.Now(), outboxLease)
	if err != nil || !claimed {
		if err != nil && ctx.Err() == nil {
			o.log.Warn("contact webhook: delivery not claimed", "request", r.ID, "err", err)
		}
		return
	}
	err = o.post(ctx, r)
	if err != nil && ctx.Err() != nil {
		return // stopping cut the try: it does not count, it is made again at start
	}
	// A success is recorded even when stopping began meanwhile: the tool
	// has the request, and sending it again at start would duplicate it.
	d := store.Delivery{State: store.DeliveryDelivered, Attempts: r.Webhook.Attempts + 1}
	switch {
	case err == nil:
		o.log.Info("contact webhook: delivered", "request", r.ID, "attempts", d.Attempts)
	case d.Attempts >= o.cfg.Attempts:
		d.State, d.Error = store.DeliveryFailed, truncate(err.Error(), maxWebhookError)
		o.log.Error("contact webhook: given up", "request", r.ID, "attempts", d.Attempts, "err", err)
	default:
		d.State, d.Error = store.DeliveryPending, truncate(err.Error(), maxWebhookError)
		d.Next = time.Now().Add(o.backoff(d.Attempts))
		o.log.Warn("contact webhook: failed, will retry", "request", r.ID, "attempts", d.Attempts, "next", d.Next, "err", err)
	}
	if err := o.store.SetDelivery(context.WithoutCancel(ctx), r.ID, d); err != nil {
		o.log.Error("contact webhook: delivery state not stored", "request", r.ID, "err", err)
	}
}

// backoff is the wait after the attempts-th failure: RetryBase doubling,
// up to webhookRetryCap.
func (o *outbox) backoff(attempts int) time.Duration {
	d := o.cfg.RetryBase
	for i := 1; i < attempts && d < webhookRetryCap; i++ {
		d *= 2
	}
	return min(d, webhookRetryCap)
}

// post sends r to the webhook, signed; an error for anything but a 2xx.
func (o *outbox) post(ctx context.Context, r store.Request) error {
	body, err := json.Marshal(webhookBody{ID: r.ID, Time: r.Time, Message: r.Message, Email: r.Email, Turns: r.Turns,
		Console: o.cfg.ConsoleURL})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Causette-Webhook")
	timestamp := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set(TimestampHeader, timestamp)
	req.Header.Set(SignatureHeader, Sign(o.cfg.Secret, timestamp, body))
	req.Header.Set("X-Causette-Request", strconv.FormatInt(r.ID, 10))
	resp, err := o.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err // without the address: it may hold a token of the tool's
		}
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10)) // lets the connection be reused
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}
