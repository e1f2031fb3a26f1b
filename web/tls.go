package web

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// certCheckEvery is how often the certificate files are looked at for a
// renewal: certificates are renewed days before they expire.
const certCheckEvery = time.Minute

// certificate is the server's own TLS certificate, read again from its
// files when they change (a renewal by certbot or acme.sh needs no restart).
type certificate struct {
	certFile, keyFile string
	log               *slog.Logger

	mu        sync.Mutex
	cert      *tls.Certificate
	modTime   time.Time // of the newer of the two files when read
	lastCheck time.Time
}

// loadCertificate reads a PEM certificate (chain) and its key; both files
// are required.
func loadCertificate(certFile, keyFile string, log *slog.Logger) (*certificate, error) {
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("web: TLS needs both a certificate and a key file")
	}
	c := &certificate{certFile: certFile, keyFile: keyFile, log: log}
	if err := c.reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// reload reads the files.
func (c *certificate) reload() error {
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return fmt.Errorf("web: TLS certificate %s, key %s: %w", c.certFile, c.keyFile, err)
	}
	c.cert, c.modTime, c.lastCheck = &cert, c.filesModTime(), time.Now()
	return nil
}

// filesModTime is the modification time of the newer file.
func (c *certificate) filesModTime() time.Time {
	var t time.Time
	for _, name := range []string{c.certFile, c.keyFile} {
		if fi, err := os.Stat(name); err == nil && fi.ModTime().After(t) {
			t = fi.ModTime()
		}
	}
	return t
}

// get returns the certificate, reading the files again when they changed;
// a renewal that cannot be read keeps the old certificate and says why.
func (c *certificate) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.lastCheck) >= certCheckEvery {
		c.lastCheck = time.Now()
		if c.filesModTime().After(c.modTime) {
			old := c.cert
			if err := c.reload(); err != nil {
				c.cert = old
				c.log.Error("TLS certificate not renewed", "err", err)
			} else {
				c.log.Info("TLS certificate renewed", "cert", c.certFile)
			}
		}
	}
	return c.cert, nil
}

// config is the server's TLS configuration: TLS 1.2 at least, Go's default
// cipher suites, HTTP/2 offered.
func (c *certificate) config() *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: c.get,
		NextProtos:     []string{"h2", "http/1.1"},
	}
}
