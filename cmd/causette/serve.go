package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
	"github.com/causette/causette/web"
)

// defaultAddr is where `causette serve` listens: every interface, port 8080.
const defaultAddr = ":8080"

// originList is a repeatable --allow-origin flag.
type originList []string

func (o *originList) String() string     { return strings.Join(*o, ",") }
func (o *originList) Set(v string) error { *o = append(*o, v); return nil }

// limitFlags adds a flag for every limit of web.Limits, and returns the
// limits and the names of those flags (all must be positive, see
// checkLimits). The flags are declared on a set of their own first, so that
// the list of names is theirs and cannot drift from them.
func limitFlags(fs *flag.FlagSet) (*web.Limits, []string) {
	l := web.DefaultLimits()
	lf := flag.NewFlagSet("limits", flag.ContinueOnError)
	lf.IntVar(&l.MaxConns, "max-conns", l.MaxConns, "connexions WebSocket ouvertes au plus, en tout")
	lf.IntVar(&l.MaxConnsPerIP, "max-conns-per-ip", l.MaxConnsPerIP, "connexions WebSocket au plus par adresse IP")
	lf.IntVar(&l.RateBurst, "rate-burst", l.RateBurst, "messages qu'une connexion peut envoyer d'un coup")
	lf.Float64Var(&l.RatePerSecond, "rate", l.RatePerSecond, "messages par seconde ensuite, par connexion")
	lf.Int64Var(&l.ReadLimit, "read-limit", l.ReadLimit, "taille maximale d'un message WebSocket, en octets")
	lf.IntVar(&l.SendBuffer, "send-buffer", l.SendBuffer, "messages en attente d'un client lent avant de le déconnecter")
	lf.DurationVar(&l.WriteWait, "write-wait", l.WriteWait, "délai maximal d'une écriture sur une connexion")
	lf.DurationVar(&l.PongWait, "pong-wait", l.PongWait, "silence maximal d'une connexion avant de la fermer")
	lf.DurationVar(&l.ShutdownWait, "shutdown-wait", l.ShutdownWait, "attente maximale des connexions à l'arrêt")
	lf.Int64Var(&l.MaxBody, "max-body", l.MaxBody, "taille maximale d'une requête POST /api/ask, en octets")
	lf.Float64Var(&l.APIRatePerSecond, "api-rate", l.APIRatePerSecond, "requêtes d'API par seconde, par adresse IP")
	lf.IntVar(&l.APIRateBurst, "api-burst", l.APIRateBurst, "requêtes d'API d'un coup, par adresse IP")
	lf.IntVar(&l.MaxConnsPerAddr, "max-http-conns-per-ip", l.MaxConnsPerAddr, "connexions TCP ouvertes au plus par adresse IP, WebSockets comprises (sauf les proxys de confiance)")
	var names []string
	lf.VisitAll(func(f *flag.Flag) {
		fs.Var(f.Value, f.Name, f.Usage)
		names = append(names, f.Name)
	})
	return &l, names
}

// checkLimits rejects a limit set to zero or less: web would silently take
// its default instead.
func checkLimits(fs *flag.FlagSet, names []string) error {
	for _, name := range names {
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if v, ok := f.Value.(flag.Getter); ok {
			bad := false
			switch x := v.Get().(type) {
			case int:
				bad = x <= 0
			case int64:
				bad = x <= 0
			case float64:
				bad = x <= 0
			case time.Duration:
				bad = x <= 0
			}
			if bad {
				return fmt.Errorf("serve : --%s %s : donnez une valeur positive", name, f.Value)
			}
		}
	}
	return nil
}

// runServe serves the chat, its API, the widget and the staff console until
// ctx is done.
func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage : causette serve [--addr HÔTE:PORT] [--corpus DIR] [--allow-origin URL]... [limites]")
		fs.PrintDefaults()
	}
	o := serveFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve : argument inattendu %q", fs.Arg(0))
	}
	if err := checkLimits(fs, o.limitNames); err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*o.cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	level := slog.LevelInfo
	if *o.debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	key, err := o.check()
	if err != nil {
		return err
	}
	current := web.NewCurrent(nil)
	team := &teamAnswers{logger: logger} // its log set before the first load; loads run one at a time
	load := func() (*web.Snapshot, error) {
		opts := o.dir.options(*o.indexDir)
		opts.Logger = logger
		opts.Extra = team.documents(ctx)
		opts.Attached = team.attached(ctx)
		if prev := current.Load(); prev != nil {
			opts.Previous = prev.Index // on disk: updated in place, handed over
		}
		ix, err := index.Open(opts)
		if err != nil {
			return nil, err
		}
		eng := chat.New(ix, chat.Options{Top: *o.top, Secret: key})
		return &web.Snapshot{Index: ix, Engine: eng, Version: ix.Stats().Version}, nil
	}
	// The server listens at once (/healthz answers, /readyz says 503) and
	// the corpus loads beside it.
	cfg := o.webConfig(current, logger)
	closeStaff, qlog, err := o.staff.attach(&cfg, *o.addr, o.data, *o.publicURL, *o.tlsCert != "") // staff.go: question log and staff console
	if err != nil {
		return err
	}
	team.qlog = qlog
	// Read before the first load reads the entries: a change between the
	// two is seen by the poller.
	entriesStamp, _ := teamStamp(ctx, qlog)
	defer closeStaff()
	srv, err := web.NewServer(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *o.addr)
	if err != nil {
		return fmt.Errorf("serve : écoute sur %s : %w", *o.addr, err)
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	if cfg.Metrics != nil {
		if err := serveMetrics(sctx, *o.metricsAddr, cfg.Metrics, logger); err != nil {
			ln.Close()
			return err
		}
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()

	// SIGHUP and the folder are heard from now on: what changes while the
	// first corpus loads is loaded right after it.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	begin := make(chan struct{})
	r := &reloader{dir: o.dir.Dir, load: load, current: current, log: logger, quiet: reloadQuiet, begin: begin}
	go r.run(sctx, hup)
	go watchEntries(sctx, qlog, entriesStamp, hup, entriesPoll) // the team's answers, served as soon as written

	start := time.Now()
	snap, err := firstLoad(load, served, stop)
	if snap == nil {
		return err
	}
	current.Store(snap)
	close(begin)
	logger.Info("corpus in service", "version", snap.Version, "passages", len(snap.Index.Passages()),
		"indexed", snap.Index.Stats().Changed, "orphaned_attachments", len(snap.Index.Stats().Orphans), "index", *o.indexDir,
		"took", time.Since(start).Round(time.Millisecond))
	defer func() {
		if s := current.Load(); s != nil {
			s.Index.Close() // its lock and folder for the next start
		}
	}()
	return <-served
}

// firstLoad loads the first corpus while the server answers /healthz. It
// returns the snapshot, or nil and why serve stops: the load failed (the
// server is stopped first) or the server ended meanwhile (SIGINT or
// SIGTERM while loading).
func firstLoad(load func() (*web.Snapshot, error), served <-chan error, stop context.CancelFunc) (*web.Snapshot, error) {
	type loaded struct {
		snap *web.Snapshot
		err  error
	}
	first := make(chan loaded, 1)
	go func() { snap, err := load(); first <- loaded{snap, err} }()
	select {
	case l := <-first:
		if l.err != nil {
			stop()
			<-served
			return nil, l.err
		}
		return l.snap, nil
	case err := <-served:
		return nil, err
	}
}

// serveOptions are serve's flags.
type serveOptions struct {
	addr, proxies, publicURL, tlsCert, tlsKey *string
	contactURL, contactMail, indexDir         *string
	metricsAddr, cpuProfile                   *string
	top                                       *int
	debug                                     *bool
	origins                                   originList
	dir                                       *corpusSource
	data                                      *dataOptions
	limits                                    *web.Limits
	limitNames                                []string
	staff                                     *staffOptions
	trusted                                   []netip.Prefix // read from proxies by check
}

// serveFlags adds serve's flags to fs.
func serveFlags(fs *flag.FlagSet) *serveOptions {
	o := &serveOptions{
		addr: fs.String("addr", defaultAddr, "adresse d'écoute"),
		dir:  corpusFlag(fs),
		top:  fs.Int("top", 0, "citations par réponse (0 : la valeur par défaut)"),
	}
	fs.Var(&o.origins, "allow-origin", "origine autorisée en plus de l'hôte lui-même, par exemple https://exemple.fr (répétable)")
	o.proxies = fs.String("trusted-proxy", "", "proxys inverses de confiance, adresses ou plages CIDR séparées par des virgules "+
		"(par exemple 127.0.0.1,10.0.0.0/8) : seuls leurs X-Forwarded-For et X-Forwarded-Proto comptent")
	o.publicURL = fs.String("public-url", "", "adresse publique du chat, par exemple https://faq.exemple.fr "+
		"(en https : cookies Secure et HSTS)")
	o.tlsCert = fs.String("tls-cert", "", "certificat TLS (PEM) pour servir en https sans proxy, avec --tls-key")
	o.tlsKey = fs.String("tls-key", "", "clé privée du certificat --tls-cert (PEM)")
	o.contactURL = fs.String("contact-url", "", "page où joindre l'équipe, proposée quand Causette ne sait pas (ouverte avec la question)")
	o.contactMail = fs.String("contact-email", "", "adresse où écrire à l'équipe, proposée quand Causette ne sait pas (un message avec la question)")
	o.data = dataFlags(fs) // data.go: --data, --secret
	o.indexDir = indexFlag(fs, "", "dossier de l'index sur disque (défaut : index dans le dossier --data ; « - » : en mémoire)")
	o.metricsAddr = fs.String("metrics-addr", "", "adresse où servir /metrics pour Prometheus, par exemple 127.0.0.1:9464 (défaut : non servi ; jamais face à internet)")
	o.debug = fs.Bool("debug", false, "journal détaillé (avec le texte des questions)")
	o.cpuProfile = fs.String("cpuprofile", "", "fichier où écrire le profil CPU du serveur, à l'arrêt (go tool pprof)")
	o.limits, o.limitNames = limitFlags(fs)
	o.staff = staffFlags(fs) // staff.go: --db, --log-days, --staff-token
	o.staff.contact = contactFlags(fs)
	return o
}

// check reads the trusted proxies, refuses flags that do not go together,
// makes the data folder and
// returns the key that signs context tokens; it settles the index folder
// (the data folder's by default, "" in memory for « - »).
func (o *serveOptions) check() ([]byte, error) {
	trusted, err := web.ParseTrustedProxies(*o.proxies)
	if err != nil {
		return nil, fmt.Errorf("serve : --trusted-proxy : %w", err)
	}
	o.trusted = trusted
	if (*o.tlsCert == "") != (*o.tlsKey == "") {
		return nil, fmt.Errorf("serve : --tls-cert et --tls-key vont ensemble")
	}
	if err := o.data.ensureDir(); err != nil {
		return nil, fmt.Errorf("serve : %w", err)
	}
	if err := checkSharedSecret(*o.staff.db, *o.data.secret); err != nil {
		return nil, fmt.Errorf("serve : %w", err)
	}
	key, err := o.data.key()
	if err != nil {
		return nil, fmt.Errorf("serve : %w", err)
	}
	switch *o.indexDir {
	case "":
		*o.indexDir = o.data.path("index")
	case "-":
		*o.indexDir = ""
	}
	return key, nil
}

// webConfig is the server's configuration from the flags, serving current.
func (o *serveOptions) webConfig(current *web.Current, logger *slog.Logger) web.Config {
	cfg := web.Config{
		Current:        current,
		AllowOrigins:   o.origins,
		TrustedProxies: o.trusted,
		PublicURL:      *o.publicURL,
		TLSCertFile:    *o.tlsCert,
		TLSKeyFile:     *o.tlsKey,
		Limits:         *o.limits,
		Logger:         logger,
	}
	if *o.metricsAddr != "" {
		cfg.Metrics = web.NewMetrics()
	}
	if *o.contactURL != "" || *o.contactMail != "" {
		cfg.Contact = &chat.Contact{URL: *o.contactURL, Mail: *o.contactMail}
	}
	return cfg
}
