package web

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
	"github.com/causette/causette/web/store"
)

// Staff console limits.
const (
	// staffSessionTTL is how long a sign-in lasts: a working day.
	staffSessionTTL = 12 * time.Hour
	// staffTokenBytes is the randomness of a generated token and of a session
	// id: 256 bits, beyond guessing.
	staffTokenBytes = 32
	// staffSignInAttempts wrong tokens or passwords per staffSignInWindow
	// are allowed from one address; then sign-in is refused until the
	// window passes. Staff mistype once or twice, not dozens of times.
	staffSignInAttempts = 5
	staffSignInWindow   = time.Minute
	// staffNameAttempts wrong passwords per staffSignInWindow are allowed
	// for one account name, whatever the addresses: guessing one account's
	// password from many addresses gains nothing. Higher than the
	// address's limit, so that one address mistyping does not lock the
	// account for the others.
	staffNameAttempts = 10
	// staffSignInMaxBody bounds the sign-in form: a name, a password (or a
	// token) and a path back to the console fit in far less.
	staffSignInMaxBody = 4 << 10
	// staffCookie names the session cookie.
	staffCookie = "causette_staff"
	// MinStaffTokenLength is the shortest staff token taken: 16 random
	// characters are beyond guessing at the sign-in's rate limit.
	MinStaffTokenLength = 16
)

// StaffConfig is what the staff console needs. Token, Log, Engine and Index
// are required.
type StaffConfig struct {
	// Token is the bootstrap secret: it signs in (with the édition role)
	// while no named account exists, and no longer once one does.
	Token string
	// Log is the question log the console shows.
	Log *store.Log
	// Engine and Index answer and search for the lookup, when the corpus is
	// fixed; else Current holds the snapshot in service (see Config.Current).
	Engine  *chat.Engine
	Index   *index.Index
	Current *Current
	// Logger receives sign-ins and failures (slog.Default when nil).
	Logger *slog.Logger
	// Now is the clock (time.Now when nil); tests set it.
	Now func() time.Time
	// ContactForm turns the built-in contact form on: answers offer it
	// (chat.Contact.Form) and POST /api/contact takes its requests into
	// the console's inbox (contact_form.go).
	ContactForm bool
	// Webhook, with ContactForm, also POSTs each new request there
	// (webhook.go); nil for none.
	Webhook *WebhookConfig
}

// Staff is the support staff console: the lookup at /staff, the permalinks
// /p/{id} and the question log's views, all behind a sign-in. Plug it into a
// Server with Attach.
type Staff struct {
	tokenSum [sha256.Size]byte // the token's hash: compared in constant time
	log      *store.Log
	current  *Current
	logger   *slog.Logger
	now      func() time.Time
	metrics  *Metrics // the server's, set by Attach; nil counts nothing

	mu       sync.Mutex
	failures *lru.Cache[string, []time.Time] // wrong sign-ins by addressKey or nameKey
	fallback map[string]time.Time            // session hash -> expiry, while the database is down (staff_fallback.go)

	contactForm  bool       // StaffConfig.ContactForm
	contactLimit *ipLimiter // requests per address (contact_form.go)
	outbox       *outbox    // the webhook's deliveries, nil without one
}

// NewStaff checks cfg and returns the console.
func NewStaff(cfg StaffConfig) (*Staff, error) {
	current := cfg.Current
	if current == nil && cfg.Engine != nil && cfg.Index != nil {
		current = NewCurrent(&Snapshot{Engine: cfg.Engine, Index: cfg.Index})
	}
	if cfg.Token == "" || cfg.Log == nil || current == nil {
		return nil, errors.New("web: staff config needs a token, a question log, and an engine and an index or a Current")
	}
	if n := utf8.RuneCountInString(cfg.Token); n < MinStaffTokenLength {
		return nil, fmt.Errorf("web: staff token of %d characters: at least %d are needed", n, MinStaffTokenLength)
	}
	if cfg.Webhook != nil {
		if !cfg.ContactForm {
			return nil, errors.New("--contact-webhook reçoit les demandes du formulaire : ajoutez --contact-form")
		}
		if err := checkWebhook(*cfg.Webhook); err != nil {
			return nil, err
		}
	}
	failures, err := lru.New[string, []time.Time](maxTrackedIPs)
	if err != nil {
		return nil, err
	}
	st := &Staff{
		tokenSum:     sha256.Sum256([]byte(cfg.Token)),
		log:          cfg.Log,
		current:      current,
		logger:       cfg.Logger,
		now:          cfg.Now,
		failures:     failures,
		fallback:     map[string]time.Time{},
		contactForm:  cfg.ContactForm,
		contactLimit: newIPLimiter(1/contactEvery.Seconds(), contactBurst),
	}
	if st.logger == nil {
		st.logger = slog.Default()
	}
	if st.now == nil {
		st.now = time.Now
	}
	if cfg.Webhook != nil {
		st.outbox = newOutbox(st.requests(), *cfg.Webhook, st.logger) // resumes what was pending
	}
	return st, nil
}

// Close stops the webhook's deliveries (those pending go at the next
// start); the question log is the caller's to close, after.
func (st *Staff) Close() { st.outbox.close() }

// Attach adds the console's routes to cfg, has it log every visitor turn
// and feedback, and adds the question log's health to /healthz.
func (st *Staff) Attach(cfg *Config) {
	if cfg.Current == nil {
		cfg.Current = st.current // the chat serves what the console shows
	}
	cfg.Routes = append(cfg.Routes, st.routes)
	st.metrics = cfg.Metrics
	cfg.Metrics.Register(logCollector{st.log})
	if st.contactForm {
		c := chat.Contact{}
		if cfg.Contact != nil {
			c = *cfg.Contact
		}
		c.Form, c.Days = true, st.log.Days()
		cfg.Contact = &c
	}
	if cfg.Health == nil {
		cfg.Health = map[string]HealthCheck{}
	}
	cfg.Health[healthLogName] = func() (bool, any) {
		h := st.log.Health()
		return h.OK, h.Public() // paths and error texts are for the staff
	}
	onTurn, onFeedback := cfg.OnTurn, cfg.OnFeedback
	cfg.OnTurn = func(rec TurnRecord) {
		st.record(rec)
		if onTurn != nil {
			onTurn(rec)
		}
	}
	cfg.OnFeedback = func(id, value string) bool {
		// A rating dropped (full queue) was for a known turn all the same.
		known := !errors.Is(st.log.Feedback(id, value), store.ErrUnknownTurn)
		if onFeedback != nil {
			known = onFeedback(id, value) || known
		}
		return known
	}
}

// record hands a visitor turn to the question log; it never waits.
func (st *Staff) record(rec TurnRecord) {
	st.log.Record(store.Turn{
		Key:        rec.ID,
		Time:       rec.Time,
		Question:   rec.Question,
		Kind:       rec.Kind,
		Confidence: rec.Confidence,
		Passage:    rec.Cited,
		Latency:    rec.Latency,
		Answer:     rec.Answer,
		Previous:   rec.Previous,
	})
}

// routes sets every route of the console. Pages redirect to the sign-in
// page without a session; APIs answer 401.
func (st *Staff) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /staff/signin", st.handleSignInPage)
	mux.HandleFunc("POST /staff/signin", st.handleSignIn)
	mux.HandleFunc("POST /staff/signout", st.handleSignOut)
	mux.HandleFunc("GET /staff/{$}", st.page(st.handleConsole))
	mux.HandleFunc("GET /staff", st.page(st.handleConsole))
	mux.HandleFunc("GET /p/{id...}", st.page(st.handlePassage))
	mux.HandleFunc("GET /staff/api/search", st.api(st.handleSearch))
	mux.HandleFunc("GET /staff/api/log/{view}", st.api(st.handleLogView))
	mux.HandleFunc("GET /healthz/log", st.handleHealth)
	mux.HandleFunc("GET /staff/api/health", st.api(st.handleHealthDetail))
	mux.HandleFunc("GET /staff/api/me", st.api(st.handleMe))
	mux.HandleFunc("GET /staff/api/entries", st.api(st.handleEntries))
	mux.HandleFunc("POST /staff/api/entries", st.editor(st.handleSaveEntry))
	mux.HandleFunc("PUT /staff/api/entries/{id}", st.editor(st.handleSaveEntry))
	mux.HandleFunc("DELETE /staff/api/entries/{id}", st.editor(st.handleDeleteEntry))
	mux.HandleFunc("GET /staff/api/requests", st.api(st.handleRequests))
	mux.HandleFunc("PATCH /staff/api/requests/{id}", st.editor(st.handleRequestStatus))
	mux.HandleFunc("DELETE /staff/api/requests/{id}", st.editor(st.handleDeleteRequest))
	if st.contactForm {
		mux.HandleFunc("POST /api/contact", st.handleContact) // the visitors' form
	}
	mux.HandleFunc("GET /staff/api/attachments", st.api(st.handleAttachments))
	mux.HandleFunc("POST /staff/api/attachments", st.editor(st.handleAttach))
	mux.HandleFunc("DELETE /staff/api/attachments/{id}", st.editor(st.handleDeleteAttachment))
	mux.HandleFunc("GET /staff/api/suggestions", st.api(st.handleSuggestions))
	mux.HandleFunc("POST /staff/api/suggestions/reject", st.editor(st.handleReject))
	mux.HandleFunc("GET /staff/comptes", st.page(st.handleAccountsPage))
	mux.HandleFunc("GET /staff/api/accounts", st.editor(st.handleAccounts))
	mux.HandleFunc("POST /staff/api/accounts", st.editor(st.handleAddAccount))
	mux.HandleFunc("PUT /staff/api/accounts/{name}", st.editor(st.handleChangeAccount))
	mux.HandleFunc("DELETE /staff/api/accounts/{name}", st.editor(st.handleRemoveAccount))
	mux.HandleFunc("GET /staff/public/{file}", st.handlePublicAsset)
	mux.HandleFunc("GET /staff/assets/{file}", st.asset(st.handleAsset))
}

// healthLogName is the question log's name in /healthz and /healthz/log.
const healthLogName = "question_log"

// handleHealth reports the question log's health: 503 while it cannot write
// (/healthz says the same with 200: the chat still answers). It holds
// counters and the last error, no visitor data.
// Anyone may ask: it says what is wrong in one word, with counters, and
// keeps paths and the store's error texts (SQLite or PostgreSQL) for the
// staff view (handleHealthDetail).
func (st *Staff) handleHealth(w http.ResponseWriter, r *http.Request) {
	h := st.log.Health()
	status := http.StatusOK
	if !h.OK {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, map[string]any{healthLogName: h.Public()})
}

// handleHealthDetail shows the staff the question log's whole health: the
// database's path, the last error's text, the integrity check's verdict.
func (st *Staff) handleHealthDetail(w http.ResponseWriter, r *http.Request) {
	h := st.log.Health()
	body := map[string]any{healthLogName: h, "path": st.log.Path()}
	if o := st.current.LastReload(); o != nil {
		body["reload"] = map[string]any{"time": o.Time, "ok": o.OK, "error": o.Error, "took_ns": o.Took}
	}
	if snap := st.current.Load(); snap != nil {
		// The corpus files left out, with why.
		body["skipped"] = append([]index.Skipped{}, snap.Index.Stats().Skipped...)
	}
	writeJSON(w, http.StatusOK, body)
}

// NewStaffToken returns a random token, for when none is configured.
func NewStaffToken() string { return randomHex(staffTokenBytes) }
