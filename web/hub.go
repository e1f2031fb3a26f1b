package web

import (
	"context"
	"net/http"
	"sync"
)

// hub counts and tracks the open sockets, to cap them and close them all on
// shutdown.
type hub struct {
	mu       sync.Mutex
	max      int
	maxPerIP int
	total    int            // reserved slots, open sockets included
	perIP    map[string]int // reserved slots by client address
	conns    map[*conn]struct{}
	closed   bool
	wg       sync.WaitGroup // one per registered socket
}

func newHub(l Limits) *hub {
	return &hub{max: l.MaxConns, maxPerIP: l.MaxConnsPerIP, perIP: map[string]int{}, conns: map[*conn]struct{}{}}
}

// reserve takes a slot for a socket from ip before the upgrade. It returns 0,
// or the HTTP status refusing it: 503 when shutting down or full, 429 when ip
// has too many.
func (h *hub) reserve(ip string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed || h.total >= h.max:
		return http.StatusServiceUnavailable
	case h.perIP[ip] >= h.maxPerIP:
		return http.StatusTooManyRequests
	}
	h.total++
	h.perIP[ip]++
	return 0
}

// release gives back ip's slot.
func (h *hub) release(ip string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.total--
	if h.perIP[ip]--; h.perIP[ip] <= 0 {
		delete(h.perIP, ip)
	}
}

// register tracks an upgraded socket; false when the server is shutting down.
func (h *hub) register(c *conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.conns[c] = struct{}{}
	h.wg.Add(1)
	return true
}

// unregister forgets a closed socket and releases its slot.
func (h *hub) unregister(c *conn) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
	h.release(c.ip)
	h.wg.Done()
}

// count returns the number of open sockets.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

// shutdown refuses new sockets and asks every open one to go away (1001).
func (h *hub) shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.conns {
		c.goAway()
	}
}

// wait waits until every socket is closed or ctx is done; then it closes
// the ones left.
func (h *hub) wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	h.mu.Lock()
	for c := range h.conns {
		c.ws.Close()
	}
	h.mu.Unlock()
	<-done
}
