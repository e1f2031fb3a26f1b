package pgtest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy relays TCP connections to a database's server, so that a test can
// cut the server away (as a network failure or a server stopped would) and
// bring it back, on the same address, while the cluster keeps running for
// the other tests.
type Proxy struct {
	// URL is the database's URL through the proxy.
	URL string

	addr   string // the proxy's, kept across Cut and Restore
	target string // the server's
	mu     sync.Mutex
	ln     net.Listener      // nil while cut
	conns  map[net.Conn]bool // open, both sides
	wg     sync.WaitGroup    // the accept loop and the relays
}

// NewProxy starts a proxy in front of the server of rawURL (one of
// Start's); it is closed when tb ends.
func NewProxy(tb testing.TB, rawURL string) *Proxy {
	tb.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		tb.Fatalf("pgtest: proxy: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("pgtest: proxy: %v", err)
	}
	p := &Proxy{addr: ln.Addr().String(), target: u.Host, conns: map[net.Conn]bool{}}
	u.Host = p.addr
	p.URL = u.String()
	p.serve(ln)
	tb.Cleanup(p.Cut)
	return p
}

// Cut closes the proxy's listener and every connection through it: the
// server is gone for the clients, whose new connections are refused.
func (p *Proxy) Cut() {
	p.mu.Lock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// Restore listens again on the same address: the server is back.
func (p *Proxy) Restore(tb testing.TB) {
	tb.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		tb.Fatalf("pgtest: proxy restore on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// serve accepts on ln and relays each connection to the server.
func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			if !p.track(c, s) {
				return
			}
			p.wg.Add(2)
			go p.relay(c, s)
			go p.relay(s, c)
		}
	}()
}

// track records a relayed pair, or closes it when the proxy was cut
// meanwhile.
func (p *Proxy) track(c, s net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		c.Close()
		s.Close()
		return false
	}
	p.conns[c], p.conns[s] = true, true
	return true
}

// relay copies from one side to the other until either closes.
func (p *Proxy) relay(dst, src net.Conn) {
	defer p.wg.Done()
	io.Copy(dst, src)
	dst.Close()
	src.Close()
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
}
