package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/causette/causette/web"
	"github.com/gorilla/websocket"
)

// Load test defaults.
const (
	// benchConns is the target: 200 visitors at once.
	benchConns = 200
	// benchPerConn is how many questions each connection asks in turn:
	// enough for the percentiles to settle, short enough for a quick run.
	benchPerConn = 20
	// benchInterval paces each connection at the default rate limit: one
	// question a second, the most a visitor may keep up.
	benchInterval = time.Second
	// benchTimeout bounds one answer; a slower one counts as an error.
	benchTimeout = 10 * time.Second
)

// runBench measures answers over WebSockets under load: `causette bench ws`.
func runBench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "slow" {
		return runBenchSlow(ctx, args[1:], stdout, stderr) // bench_slow.go
	}
	if len(args) > 0 && args[0] == "ask" {
		return runBenchAsk(ctx, args[1:], stdout, stderr) // bench_ask.go
	}
	if len(args) > 0 && args[0] == "refuse" {
		return runBenchRefuse(ctx, args[1:], stdout, stderr) // bench_refuse.go
	}
	if len(args) > 0 && args[0] == "recall" {
		return runBenchRecall(ctx, args[1:], stdout, stderr) // bench_recall.go
	}
	if len(args) == 0 || args[0] != "ws" {
		fmt.Fprintln(stderr, "Usage : causette bench ws [--conns N] [--per-conn N] [--questions FICHIER.jsonl] [--addr HÔTE:PORT] [--corpus DIR]")
		fmt.Fprintln(stderr, "        causette bench slow [--clients N] [--secs DURÉE] [--corpus DIR]")
		fmt.Fprintln(stderr, "        causette bench ask [--questions FICHIER] [--rounds N] [--corpus DIR]")
		fmt.Fprintln(stderr, "        causette bench recall --questions FICHIER.jsonl [--candidates 50,100,200] [--corpus DIR]")
		fmt.Fprintln(stderr, "        causette bench refuse --questions FICHIER.jsonl --corpus DIR [--out 3]")
		return errors.New("bench : les mesures sont « ws », « slow », « ask », « recall » et « refuse »")
	}
	fs := flag.NewFlagSet("bench ws", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conns := fs.Int("conns", benchConns, "connexions WebSocket simultanées")
	perConn := fs.Int("per-conn", benchPerConn, "questions posées l'une après l'autre par chaque connexion")
	interval := fs.Duration("interval", benchInterval, "écart entre deux questions d'une connexion (0 : sans attendre, pour mesurer le débit maximal)")
	questions := fs.String("questions", "", "questions : un jeu .jsonl (champ q, ou turns) ou un fichier texte, une par ligne ; défaut : les questions d'accueil du corpus")
	addr := fs.String("addr", "", "serveur à mesurer (HÔTE:PORT) ; défaut : un serveur lancé ici sur 127.0.0.1")
	dir := corpusFlag(fs)
	indexDir := indexFlag(fs, "", indexUsage)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *conns < 1 || *perConn < 1 {
		return errors.New("bench : --conns et --per-conn doivent être positifs")
	}
	var qs []string
	if *questions != "" {
		var err error
		if strings.HasSuffix(*questions, ".jsonl") {
			qs, err = readQuestions(*questions)
		} else {
			qs, err = readLines(*questions) // one question a line
		}
		if err != nil {
			return err
		}
	}
	target := *addr
	if target == "" {
		ix, eng, err := openEngine(dir, *indexDir, 0, nil)
		if err != nil {
			return err
		}
		if len(qs) == 0 {
			qs = eng.Starters()
		}
		// The load comes from one address as fast as it can: lift the
		// per-visitor limits, keep the rest as served.
		limits := web.DefaultLimits()
		limits.MaxConns = max(limits.MaxConns, *conns)
		limits.MaxConnsPerIP = *conns
		limits.MaxConnsPerAddr = max(limits.MaxConnsPerAddr, *conns+16) // the sockets and a few requests
		limits.RateBurst = *perConn
		limits.RatePerSecond = 1e6
		addr, stop, err := serveHere(ctx, web.Config{Engine: eng, Index: ix, Limits: limits})
		if err != nil {
			return err
		}
		defer stop()
		target = addr
	}
	if len(qs) == 0 {
		return errors.New("bench : aucune question (donnez --questions)")
	}
	res, err := benchWS(ctx, "ws://"+target+"/ws", *conns, *perConn, *interval, qs)
	if err != nil {
		return err
	}
	res.print(stdout, target, *addr == "")
	return nil
}

// serveHere serves cfg (quietly) on a free port of 127.0.0.1 for a
// measure, until stop is called.
func serveHere(ctx context.Context, cfg web.Config) (addr string, stop func(), err error) {
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.NewServer(cfg)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln) }()
	return ln.Addr().String(), func() { cancel(); <-done }, nil
}

// startCPUProfile writes a CPU profile to path until stop is called; ""
// profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// readQuestions reads the questions of an evaluation set (readEval): each
// line's q, and the q of each of its turns.
func readQuestions(path string) ([]string, error) {
	items, err := readEval(path)
	if err != nil {
		return nil, err
	}
	var qs []string
	for _, it := range items {
		if it.Q != "" {
			qs = append(qs, it.Q)
		}
		for _, t := range it.Turns {
			qs = append(qs, t.Q)
		}
	}
	return qs, nil
}

// benchResult holds what a load run measured.
type benchResult struct {
	conns, perConn int
	interval       time.Duration
	latencies      []time.Duration // time to the answer, one per answer
	errors         int
	firstErr       error
	elapsed        time.Duration
}

// benchWS opens conns sockets at once; each asks perConn questions, one
// after the other and at most one per interval, timing each from the send to
// the answer. The connections start spread over one interval.
func benchWS(ctx context.Context, url string, conns, perConn int, interval time.Duration, qs []string) (*benchResult, error) {
	res := &benchResult{conns: conns, perConn: perConn, interval: interval}
	var mu sync.Mutex
	sockets := make([]*websocket.Conn, conns)
	dialer := websocket.Dialer{HandshakeTimeout: benchTimeout}
	for i := range sockets {
		ws, _, err := dialer.DialContext(ctx, url, nil)
		if err != nil {
			for _, s := range sockets[:i] {
				s.Close()
			}
			return nil, fmt.Errorf("bench : connexion %d sur %d : %w", i+1, conns, err)
		}
		sockets[i] = ws
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, ws := range sockets {
		wg.Go(func() {
			defer ws.Close()
			first := start.Add(interval * time.Duration(i) / time.Duration(conns))
			lat, n, err := askMany(ws, i, perConn, first, interval, qs)
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			res.errors += n
			if err != nil && res.firstErr == nil {
				res.firstErr = err
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res, nil
}

// askMany reads the hello, then asks perConn questions from qs starting at
// offset, the k-th not before first + k*interval, and returns the time each
// answer took and the count of errors.
func askMany(ws *websocket.Conn, offset, perConn int, first time.Time, interval time.Duration, qs []string) ([]time.Duration, int, error) {
	ws.SetReadDeadline(time.Now().Add(benchTimeout))
	var hello struct{ Type string }
	if err := ws.ReadJSON(&hello); err != nil || hello.Type != "hello" {
		return nil, perConn, fmt.Errorf("hello: %v %q", err, hello.Type)
	}
	lat := make([]time.Duration, 0, perConn)
	errs := 0
	var firstErr error
	for k := range perConn {
		id := fmt.Sprint("b", k)
		q := qs[(offset*7+k)%len(qs)]
		time.Sleep(time.Until(first.Add(time.Duration(k) * interval)))
		t0 := time.Now()
		ws.SetWriteDeadline(t0.Add(benchTimeout))
		if err := ws.WriteJSON(map[string]string{"type": "ask", "id": id, "text": q}); err != nil {
			return lat, errs + perConn - k, err
		}
		ws.SetReadDeadline(t0.Add(benchTimeout))
		var m struct{ Type, ID, Code string }
		if err := ws.ReadJSON(&m); err != nil {
			return lat, errs + perConn - k, err
		}
		if m.Type != "answer" || m.ID != id {
			errs++
			if firstErr == nil {
				firstErr = fmt.Errorf("%q: got %s %s", q, m.Type, m.Code)
			}
			continue
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, errs, firstErr
}

// print reports the run.
func (r *benchResult) print(w io.Writer, target string, inProcess bool) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
	}
	where := target
	if inProcess {
		where += " (serveur dans ce processus : client et serveur se partagent la machine)"
	}
	fmt.Fprintf(w, "serveur      %s\n", where)
	pace := "sans attendre"
	if r.interval > 0 {
		pace = "une toutes les " + r.interval.String()
	}
	fmt.Fprintf(w, "connexions   %d, %d questions chacune, %s\n", r.conns, r.perConn, pace)
	fmt.Fprintf(w, "réponses     %d en %v, erreurs %d\n", len(r.latencies), r.elapsed.Round(time.Millisecond), r.errors)
	fmt.Fprintf(w, "débit        %.0f réponses/s\n", float64(len(r.latencies))/r.elapsed.Seconds())
	fmt.Fprintf(w, "temps de réponse  p50 %v  p90 %v  p99 %v  max %v\n",
		pct(0.50).Round(time.Microsecond), pct(0.90).Round(time.Microsecond),
		pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	if r.firstErr != nil {
		fmt.Fprintf(w, "première erreur : %v\n", r.firstErr)
	}
}
