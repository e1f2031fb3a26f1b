package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
)

// Timeouts of the HTTP server itself (not of sockets, see Limits). A
// WebSocket leaves them at its upgrade (gorilla clears the deadlines).
const (
	// readHeaderTimeout stops clients that open a connection and trickle
	// headers (slowloris); real browsers send them at once.
	readHeaderTimeout = 5 * time.Second
	// readTimeout bounds the reading of a whole request, body included: the
	// largest body taken (a question, a sign-in form) is a few KiB.
	readTimeout = 15 * time.Second
	// writeTimeout bounds a handler and its response: an answer takes
	// milliseconds, a staff CSV export of a month a second or two.
	writeTimeout = 30 * time.Second
	// idleTimeout closes keep-alive connections nobody uses; a page's
	// requests come within seconds of each other.
	idleTimeout = 60 * time.Second
	// maxHeaderBytes is ample for a chat's requests and a staff cookie.
	maxHeaderBytes = 16 << 10
	// hstsHeader keeps browsers on https for a year once they saw it there.
	// No includeSubDomains: an administration's other hosts are not ours.
	hstsHeader = "max-age=31536000"
)

// Config is what a Server needs: the corpus to serve, as Engine and Index or
// as Current.
type Config struct {
	// Engine and Index are the corpus served, when it is fixed.
	Engine *chat.Engine
	Index  *index.Index
	// Current holds the snapshot in service when it may change while
	// serving (live reload), shared with the staff console. Empty, the
	// server answers /healthz at once and /readyz, the chat and the API
	// with 503 until a snapshot is stored.
	Current *Current
	// AllowOrigins lists the origins ("https://example.org") whose pages may
	// open a WebSocket or call the API from a browser. The server's own host
	// is always allowed; "*" allows any origin.
	AllowOrigins []string
	// Limits bound what visitors can cost; zero fields take their defaults.
	Limits Limits
	// TrustedProxies are the reverse proxies in front of the server: only a
	// peer in one of them has its X-Forwarded-For and X-Forwarded-Proto
	// believed, and the visitor is the right-most address of that header
	// that is not a trusted proxy (see visitorIP). Their connections are not
	// capped per address (each carries many visitors).
	TrustedProxies []netip.Prefix
	// PublicURL is the address visitors use ("https://faq.example.org"),
	// when known: with https, every response carries HSTS and cookies are
	// Secure, whatever the proxy in front says; its origin is the server's
	// own for the origin checks. Empty: the request's own host and scheme.
	PublicURL string
	// TLSCertFile and TLSKeyFile, both set, make Serve speak TLS itself
	// (for a server with no proxy in front). The files are read again when
	// they change, so a renewed certificate needs no restart.
	TLSCertFile, TLSKeyFile string
	// Logger receives one line per turn and per problem (slog.Default when nil).
	Logger *slog.Logger
	// Contact says how visitors reach the team, offered when an answer
	// found nothing or was rated down (none when nil; see chat.Contact).
	Contact *chat.Contact

	// Routes add handlers to the server's mux, after its own routes are set
	// (the widget and the staff console plug in here). Patterns use Go 1.22
	// syntax and must not clash with the routes of Server.routes.
	Routes []func(mux *http.ServeMux)
	// OnTurn, when set, is called after each visitor turn answered over the
	// WebSocket or POST /api/ask, just before the answer is sent (so that
	// feedback on it finds it), in the goroutine that answered: it must be
	// quick (hand the record to a channel or a buffered writer) and must not
	// keep the record's slices.
	OnTurn func(TurnRecord)
	// OnFeedback, when set, is called when a visitor rates an answer: turnID
	// is the TurnRecord.ID of the rated turn, value is "up" or "down". It
	// returns false when it knows no such turn: the visitor is told
	// unknown_turn.
	OnFeedback func(turnID, value string) bool
	// Metrics, when set, counts answers, refusals and limits and reads the
	// sockets and corpus at each scrape (see Metrics); the caller serves
	// its Handler.
	Metrics *Metrics
	// Health adds components to GET /healthz, by name (see HealthCheck);
	// the staff console adds its question log here.
	Health map[string]HealthCheck
}

// TurnRecord describes one visitor turn for the question log.
type TurnRecord struct {
	// ID is unique to the turn and unguessable; feedback refers to it.
	ID string
	// Time is when the question arrived.
	Time time.Time
	// Question is the visitor's text as sent.
	Question string
	// Kind is the answer's kind: answer, no_answer or smalltalk.
	Kind string
	// Confidence is the answer's confidence, 0..1.
	Confidence float64
	// Cited is the id of the first cited passage ("" when none).
	Cited string
	// Latency is the time taken to answer, queueing excluded.
	Latency time.Duration
	// Answer is the answer's text.
	Answer string
	// Previous is, for a follow-up over the WebSocket, the question asked
	// before it on the same socket ("" otherwise).
	Previous string
	// Channel is where the question came from: "ws" or "api".
	Channel string
}

// Server serves the chat page, the WebSocket, the API and the health check.
type Server struct {
	current *Current
	limits  Limits
	log     *slog.Logger
	origins map[string]bool // allowed origins, normalised; "*" for any
	onTurn  func(TurnRecord)
	onFeed  func(turnID, value string) bool
	proxies []netip.Prefix // Config.TrustedProxies
	public  *url.URL       // Config.PublicURL, nil when not set
	tls     *certificate   // nil without Config.TLSCertFile
	health  map[string]HealthCheck
	contact *chat.Contact // Config.Contact, checked
	metrics *Metrics      // Config.Metrics; nil counts nothing

	mux     *http.ServeMux
	handler http.Handler
	hub     *hub
	api     *ipLimiter
	// embedCSP is /embed's Content-Security-Policy for an allowed site:
	// those of frameAncestors may frame it. Set once, with the origins.
	embedCSP string

	shutdownOnce sync.Once
}

// NewServer checks cfg and returns a server ready to serve.
func NewServer(cfg Config) (*Server, error) {
	current := cfg.Current
	if current == nil {
		if cfg.Engine == nil || cfg.Index == nil {
			return nil, errors.New("web: config needs an engine and an index, or a Current")
		}
		current = NewCurrent(&Snapshot{Engine: cfg.Engine, Index: cfg.Index})
	}
	s := &Server{
		current: current,
		limits:  cfg.Limits.withDefaults(),
		log:     cfg.Logger,
		origins: map[string]bool{},
		onTurn:  cfg.OnTurn,
		onFeed:  cfg.OnFeedback,
		proxies: cfg.TrustedProxies,
		health:  map[string]HealthCheck{},
		mux:     http.NewServeMux(),
		metrics: cfg.Metrics,
	}
	for name, check := range cfg.Health {
		if healthFields[name] || check == nil {
			return nil, fmt.Errorf("web: health check %q: reserved name or no function", name)
		}
		s.health[name] = check
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if cfg.Contact != nil {
		c, err := checkContact(*cfg.Contact)
		if err != nil {
			return nil, err
		}
		s.contact = c
	}
	if cfg.PublicURL != "" {
		u, err := parsePublicURL(cfg.PublicURL)
		if err != nil {
			return nil, err
		}
		s.public = u
	}
	if cfg.TLSCertFile != "" || cfg.TLSKeyFile != "" {
		cert, err := loadCertificate(cfg.TLSCertFile, cfg.TLSKeyFile, s.log)
		if err != nil {
			return nil, err
		}
		s.tls = cert
	}
	for _, o := range cfg.AllowOrigins {
		if o == "*" {
			s.origins["*"] = true
			continue
		}
		n, err := normaliseOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("web: allowed origin %q: %w", o, err)
		}
		s.origins[n] = true
	}
	s.embedCSP = withDirective(contentSecurityPolicy, "frame-ancestors "+s.frameAncestors())
	s.hub = newHub(s.limits)
	s.api = newIPLimiter(s.limits.APIRatePerSecond, s.limits.APIRateBurst)
	s.metrics.Register(serverCollector{s})
	s.routes()
	for _, add := range cfg.Routes {
		add(s.mux)
	}
	cop, err := s.crossOriginProtection()
	if err != nil {
		return nil, err
	}
	s.handler = s.secure(s.recovering(cop.Handler(http.HandlerFunc(s.dispatch))))
	return s, nil
}

// routes sets every route of the server.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.handlePage)
	s.mux.Handle("GET /static/{file}", s.handleStatic())
	s.mux.HandleFunc("GET /ws", s.handleWS)
	s.mux.HandleFunc("POST /api/ask", s.handleAPIAsk)
	s.mux.HandleFunc("GET /api/search", s.handleAPISearch)
	s.mux.HandleFunc("OPTIONS /api/", s.handleAPIPreflight)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	s.widgetRoutes() // widget.go: /widget.js, /embed, /demo
	// Any other address gets a French 404 or 405: see dispatch.
}

// Handler returns the server's handler, security headers included.
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on addr and serves until ctx is done, then shuts down
// gracefully (see Serve).
func (s *Server) Run(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is done. Then it stops accepting, sends close
// 1001 (going away) to every socket, and waits at most Limits.ShutdownWait
// for sockets and requests to finish. A Server serves once: after its
// shutdown it refuses sockets; build a new one to serve again.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(s.CloseSockets)
	go warmAssets()       // assets.go: compress the pages' files once, aside
	ln = s.limitConns(ln) // connlimit.go: per-address cap on connections
	if s.tls != nil {
		srv.TLSConfig = s.tls.config()
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "tls", s.tls != nil)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.limits.ShutdownWait)
	defer cancel()
	err := srv.Shutdown(sctx)
	s.hub.wait(sctx) // sockets are hijacked: Shutdown does not wait for them
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
	}
	<-errc
	s.log.Info("stopped")
	return nil
}

// CloseSockets sends close 1001 (going away) to every open socket and
// refuses new ones. Serve calls it on shutdown.
func (s *Server) CloseSockets() {
	s.shutdownOnce.Do(s.hub.shutdown)
}

// secure adds the security headers every response carries (HSTS over
// https) and gives a request's body bodyWait to arrive. A handler may replace one (w.Header().Set) before writing. It also
// puts the visitor's address and scheme in the request's context, for the
// routes added by Config.Routes (see visitorAddr and secureRequest).
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			setBodyDeadline(w) // every route that reads a body, those added later too
		}
		https := s.isHTTPS(r)
		ctx := context.WithValue(r.Context(), visitorKey{}, s.visitorIP(r))
		r = r.WithContext(context.WithValue(ctx, httpsKey{}, https))
		h := w.Header()
		if https {
			h.Set("Strict-Transport-Security", hstsHeader)
		}
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only the server's own scripts, styles and
// sockets: no inline script or style, no framing, no plugins.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// AllowedOrigin reports whether a browser page at origin may use the socket
// and the API: the request's own host, or one of Config.AllowOrigins. A
// request without Origin (not from a browser) is allowed.
func (s *Server) AllowedOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if s.origins["*"] {
		return true
	}
	n, err := normaliseOrigin(origin)
	if err != nil {
		return false
	}
	return s.originAllowed(n, r)
}

// originAllowed reports whether a page at origin (normalised) may use the
// socket and the API, or embed the chat (/embed): "*", one of
// Config.AllowOrigins, Config.PublicURL's, or the request's own host.
func (s *Server) originAllowed(origin string, r *http.Request) bool {
	if s.origins["*"] || s.origins[origin] {
		return true
	}
	if s.public != nil && origin == strings.ToLower(s.public.Scheme+"://"+s.public.Host) {
		return true
	}
	_, host, _ := strings.Cut(origin, "://")
	return strings.EqualFold(host, r.Host)
}

// normaliseOrigin returns scheme://host[:port] in lower case.
func normaliseOrigin(o string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(o))
	if err != nil {
		return "", err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("want scheme://host[:port]")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return "", errors.New("want scheme://host[:port] without path")
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}
