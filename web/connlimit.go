package web

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// connRefusalLogEvery limits the log lines about refused connections: a
// flood from one address is one line now and then, not one per connection.
const connRefusalLogEvery = 10 * time.Second

// limitConns caps the connections open at once from one address
// (Limits.MaxConnsPerAddr), at accept, before anything is read: a client that
// opens connections and sends nothing, or a byte a second, holds at most
// that many, each for at most the server's read timeouts, and cannot run the
// process out of file descriptors. A trusted proxy is not capped: its
// connections carry many visitors (the proxy caps them itself).
func (s *Server) limitConns(ln net.Listener) net.Listener {
	return &capListener{Listener: ln, s: s, max: s.limits.MaxConnsPerAddr, open: map[string]int{}}
}

// capListener is limitConns's listener.
type capListener struct {
	net.Listener
	s   *Server
	max int

	mu       sync.Mutex
	open     map[string]int // connections open, by addressKey
	refused  int            // refusals since the last log line
	lastLine time.Time
}

// Accept returns the next connection within its address's cap; the others
// are closed at once.
func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key, ok := l.key(c)
		if !ok {
			return c, nil
		}
		if l.take(key) {
			return &cappedConn{Conn: c, release: func() { l.give(key) }}, nil
		}
		c.Close()
	}
}

// key is the address key a connection counts against; false for a trusted
// proxy or an address that cannot be read.
func (l *capListener) key(c net.Conn) (string, bool) {
	ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
	if err != nil {
		return "", false
	}
	a := ap.Addr().Unmap()
	if l.s.trusted(a) {
		return "", false
	}
	return addressKey(a.String()), true
}

// take counts a connection from key, or refuses it at the cap.
func (l *capListener) take(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.max {
		l.refused++
		if now := time.Now(); now.Sub(l.lastLine) >= connRefusalLogEvery {
			l.s.log.Warn("connections refused", "reason", "too many from one address", "ip", key,
				"max", l.max, "refused", l.refused)
			l.lastLine, l.refused = now, 0
		}
		return false
	}
	l.open[key]++
	return true
}

// give uncounts a closed connection from key.
func (l *capListener) give(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
}

// cappedConn gives its slot back when closed, once.
type cappedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *cappedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
