package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/causette/causette/web"
)

// Slow-client measure defaults.
const (
	// slowClients is the attack: 2,000 connections from one address.
	slowClients = 2000
	// slowPhase is how long each phase (alone, then under attack) lasts.
	slowPhase = 15 * time.Second
	// slowVisitorEvery paces the normal visitor under the API's rate limit.
	slowVisitorEvery = 250 * time.Millisecond
	// slowByteEvery is the attackers' pace: one byte of body a second.
	slowByteEvery = time.Second
	// slowAttacker and slowVisitor are the two addresses of the measure,
	// both on the loopback network.
	slowAttacker = "127.0.0.2"
	slowVisitor  = "127.0.0.1"
)

// runBenchSlow measures what slow clients from one address do to a normal
// visitor: `causette bench slow`. It serves the corpus here with the default
// limits, and reports the visitor's latency alone, then while --clients
// connections from another address each announce a 10,000-byte body and send
// a byte a second.
func runBenchSlow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench slow", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clients := fs.Int("clients", slowClients, "connexions lentes ouvertes depuis une même adresse ("+slowAttacker+")")
	phase := fs.Duration("secs", slowPhase, "durée de chaque phase de la mesure")
	dir := corpusFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ix, eng, err := openEngine(dir, "", 0, nil)
	if err != nil {
		return err
	}
	target, stop, err := serveHere(ctx, web.Config{Engine: eng, Index: ix})
	if err != nil {
		return err
	}
	defer stop()
	q := "Qui est le PDG de Mistral ?"
	if st := eng.Starters(); len(st) > 0 {
		q = st[0]
	}

	alone := visit(ctx, target, q, *phase)
	actx, cancel := context.WithCancel(ctx)
	var attack slowStats
	var wg sync.WaitGroup
	for range *clients {
		wg.Add(1)
		go func() { defer wg.Done(); attack.run(actx, target) }()
	}
	under := visit(ctx, target, q, *phase)
	held := attack.open.Load()
	cancel()
	wg.Wait()
	fmt.Fprintf(stdout, "visiteur seul          : %s\n", alone)
	fmt.Fprintf(stdout, "sous %d clients lents : %s\n", *clients, under)
	fmt.Fprintf(stdout, "clients lents : %d connectés, %d coupés dans la seconde, %d coupés ensuite (après %v au plus), %d encore ouverts à la fin\n",
		attack.connected.Load(), attack.cutAtOnce.Load(), attack.cut.Load()-attack.cutAtOnce.Load(),
		time.Duration(attack.longest.Load()).Round(time.Second), held)
	return nil
}

// visitResult is a normal visitor's latencies.
type visitResult struct {
	lat    []time.Duration
	errors int
}

func (v visitResult) String() string {
	if len(v.lat) == 0 {
		return fmt.Sprintf("aucune réponse, %d erreurs", v.errors)
	}
	slices.Sort(v.lat)
	pct := func(p float64) time.Duration { return v.lat[int(p*float64(len(v.lat)-1))] }
	return fmt.Sprintf("%d réponses, p50 %v, p99 %v, max %v, %d erreurs",
		len(v.lat), pct(0.5).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond),
		v.lat[len(v.lat)-1].Round(10*time.Microsecond), v.errors)
}

// visit asks q over POST /api/ask from slowVisitor every slowVisitorEvery for d.
func visit(ctx context.Context, target, q string, d time.Duration) visitResult {
	client := &http.Client{Timeout: benchTimeout, Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(slowVisitor)}}).DialContext}}
	body := fmt.Appendf(nil, `{"q":%q}`, q)
	var res visitResult
	tick := time.NewTicker(slowVisitorEvery)
	defer tick.Stop()
	end := time.After(d)
	for {
		select {
		case <-ctx.Done():
			return res
		case <-end:
			return res
		case <-tick.C:
		}
		start := time.Now()
		resp, err := client.Post("http://"+target+"/api/ask", "application/json", bytes.NewReader(body))
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
		}
		if err != nil {
			res.errors++
			continue
		}
		res.lat = append(res.lat, time.Since(start))
	}
}

// slowStats counts what became of the slow clients.
type slowStats struct {
	connected, refused, cut, cutAtOnce, open atomic.Int64
	longest                                  atomic.Int64 // the longest a cut client lived, in ns
}

// cutAfter counts a client the server cut after d.
func (s *slowStats) cutAfter(d time.Duration) {
	s.cut.Add(1)
	if d < time.Second {
		s.cutAtOnce.Add(1)
	}
	for {
		old := s.longest.Load()
		if int64(d) <= old || s.longest.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// run is one slow client: a body announced, then a byte a second, until the
// server closes the connection or ctx ends.
func (s *slowStats) run(ctx context.Context, target string) {
	d := net.Dialer{Timeout: benchTimeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(slowAttacker)}}
	c, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		s.refused.Add(1)
		return
	}
	defer c.Close()
	start := time.Now()
	s.connected.Add(1)
	s.open.Add(1)
	defer s.open.Add(-1)
	if _, err := io.WriteString(c, "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"); err != nil {
		s.cutAfter(time.Since(start))
		return
	}
	closed := make(chan struct{})
	go func() { // the server's answer or close ends the client
		io.Copy(io.Discard, c)
		close(closed)
	}()
	tick := time.NewTicker(slowByteEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-closed:
			s.cutAfter(time.Since(start))
			return
		case <-tick.C:
			if _, err := c.Write([]byte(" ")); err != nil && !errors.Is(err, net.ErrClosed) {
				s.cutAfter(time.Since(start))
				return
			}
		}
	}
}
