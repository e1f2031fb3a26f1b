package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/causette/causette/web"
	"github.com/causette/causette/web/store"
	"github.com/causette/causette/web/store/postgres"
)

// staffTokenEnv names the environment variable holding the staff token.
const staffTokenEnv = "CAUSETTE_STAFF_TOKEN"

// staffOptions are the flags of `causette serve` for the question log and
// the staff console.
type staffOptions struct {
	db    *string
	days  *int
	token *string
	// contact, when set, turns the contact form and its webhook on
	// (contact.go).
	contact *contactOptions
}

// staffFlags adds --db, --log-days and --staff-token to serve's flags.
func staffFlags(fs *flag.FlagSet) *staffOptions {
	return &staffOptions{
		db:    fs.String("db", "", dbFlagHelp),
		days:  fs.Int("log-days", store.DefaultDays, "jours de conservation du journal des questions"),
		token: fs.String("staff-token", "", "jeton d'amorçage de la console de l'équipe, tant qu'aucun compte n'existe (causette staff add) (défaut : $"+staffTokenEnv+", sinon un jeton aléatoire affiché au démarrage)"),
	}
}

// attach opens the question log and plugs the staff console into cfg (its
// routes, and the log of every visitor turn). The log stays usable when the
// database cannot be written: the chat answers and the failure shows in the
// log, /healthz and /healthz/log. close writes what is queued and closes the database.
func (o *staffOptions) attach(cfg *web.Config, addr string, data *dataOptions, publicURL string, tls bool) (close func(), qlog *store.Log, err error) {
	if *o.days <= 0 {
		return nil, nil, fmt.Errorf("--log-days %d : donnez un nombre de jours positif", *o.days)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	token := *o.token
	if token == "" {
		token = os.Getenv(staffTokenEnv)
	}
	generated := token == ""
	if generated {
		token = web.NewStaffToken()
	}
	if n := utf8.RuneCountInString(token); n < web.MinStaffTokenLength {
		return nil, nil, fmt.Errorf("--staff-token : %d caractères, il en faut au moins %d (par exemple : openssl rand -hex 16)", n, web.MinStaffTokenLength)
	}
	db := *o.db
	if db == "" {
		db = data.path(dbFileName)
	}
	if postgres.IsURL(db) {
		// Shared by replicas: unreachable at start is an error to fix (the
		// URL, the password, the server), named without the password.
		// Lost later, the log degrades as SQLite's does.
		ctx, cancel := context.WithTimeout(context.Background(), storeStartWait)
		defer cancel()
		if qlog, err = postgres.Start(ctx, db, store.Options{Days: *o.days, Logger: logger}); err != nil {
			return nil, nil, fmt.Errorf("--db : base inaccessible : %w", err)
		}
	} else {
		qlog = openStore(db, store.Options{Days: *o.days, Logger: logger})
	}
	sc := web.StaffConfig{Token: token, Log: qlog, Engine: cfg.Engine, Index: cfg.Index, Current: cfg.Current, Logger: logger}
	o.contact.apply(&sc, strings.TrimSuffix(signInURL(addr, publicURL, tls), "/signin")+"#demandes")
	staff, err := web.NewStaff(sc)
	if err != nil {
		qlog.Close()
		return nil, nil, err
	}
	staff.Attach(cfg)
	if has, err := qlog.HasStaffAccounts(context.Background()); err == nil && has {
		// Named accounts sign in: the token, given or generated, no longer does.
		logger.Info("staff console: named accounts sign in (causette staff list); the bootstrap token no longer does",
			"signin", signInURL(addr, publicURL, tls))
	} else if generated {
		// Printed once: the fragment (#jeton=) fills the sign-in form without
		// reaching the server or its access logs.
		logger.Warn("staff console: no --staff-token nor "+staffTokenEnv+", generated a token for this run",
			"signin", signInURL(addr, publicURL, tls)+"#jeton="+token)
	}
	return func() {
		staff.Close() // the webhook's deliveries first: they write to the log
		if err := qlog.Close(); err != nil {
			logger.Error("question log close", "err", err)
		}
	}, qlog, nil
}

// signInURL is the staff sign-in page's address: under the public URL when
// known, else on this machine.
func signInURL(addr, publicURL string, tls bool) string {
	if publicURL != "" {
		return strings.TrimSuffix(publicURL, "/") + "/staff/signin"
	}
	scheme := "http://"
	if tls {
		scheme = "https://"
	}
	return scheme + localAddr(addr) + "/staff/signin"
}

// localAddr turns a listen address into one a browser on this machine opens.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
