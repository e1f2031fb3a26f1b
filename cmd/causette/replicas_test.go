package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/causette/causette/web"
	"github.com/causette/causette/web/store/postgres/pgtest"
)

const (
	// loadVisitors is how many visitors ask at once while a replica is
	// stopped: several on each replica.
	loadVisitors = 8
	// warmAnswers is how many answers each visitor gets before a replica
	// is stopped, and again after: load on both sides of the stop.
	warmAnswers = 20
	// loadWait bounds each stage of a load phase.
	loadWait = 30 * time.Second
	// entryVisible is how soon an entry the team adds on one replica must
	// be answered by the other: the poll of the team's answers (1 s,
	// entriesPoll) and a reload.
	entryVisible = 2 * time.Second
	// killWindow is what a replica killed with SIGKILL may lose: turns
	// answered within the question log's window before the kill
	// (docs/staff.md, « au plus 200 ms de trafic »).
	killWindow = 200 * time.Millisecond
	// staffPassword is the test account's.
	staffPassword = "mot-de-passe-des-repliques"
)

// TestReplicasBehindNginx runs two `causette serve` replicas on one store
// behind nginx, as docs/deploy.md sets them up, and checks what a
// deployment of several replicas promises: any replica takes any turn,
// feedback and staff sessions, the team's answers on every replica, and a
// replica stopped (SIGTERM) or killed (SIGKILL) under load.
func TestReplicasBehindNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes and nginx")
	}
	nginx := needNginx(t) // before anything is started
	dir := t.TempDir()
	bin := buildCausette(t, dir)
	store := sharedStore(t)
	a, b := newReplica(t, bin, dir, "replica-a", store), newReplica(t, bin, dir, "replica-b", store)
	addStaff(t, bin, a, "marie")
	a.launch(t)
	b.launch(t) // both build their index at once
	a.waitReady(t)
	b.waitReady(t)
	lb := startNginx(t, nginx, dir, a, b)
	replicas := []*replica{a, b}

	t.Run("https through nginx", func(t *testing.T) { checkForwardedProto(t, lb, a) })
	t.Run("visitor address through nginx", func(t *testing.T) { checkForwardedFor(t, lb) })
	t.Run("follow-up on the other replica", func(t *testing.T) { checkFollowUp(t, lb, a, b) })
	cookie, _ := lb.signIn(t, "marie", staffPassword)
	t.Run("staff session on every replica", func(t *testing.T) {
		got := lb.statusOnEach(t, replicas, func() *http.Response {
			resp, _ := lb.request(t, "GET", "/staff/api/me", cookie, nil, "")
			return resp
		})
		for _, r := range replicas {
			if got[r.addr] != http.StatusOK {
				t.Errorf("GET /staff/api/me on %s with the session opened through nginx: %d; want 200", r.name, got[r.addr])
			}
		}
	})
	t.Run("feedback on the other replica", func(t *testing.T) { checkFeedback(t, lb, cookie, a, b) })
	t.Run("team entry on the other replica", func(t *testing.T) { checkEntry(t, lb, cookie, a, b) })

	stopped := underLoad(t, lb, "arrêt", func() { a.proc.cmd.Process.Signal(syscall.SIGTERM) })
	if !a.proc.waitExit(replicaStop) {
		t.Fatalf("%s still runs %v after SIGTERM", a.name, replicaStop)
	}
	if a.proc.err != nil {
		t.Errorf("%s after SIGTERM: %v; want a clean exit\n%s", a.name, a.proc.err, a.proc.out)
	}
	a.start(t) // back in service, for the next phase
	waitInService(t, lb, replicas)
	killed := underLoad(t, lb, "kill", func() { b.proc.cmd.Process.Signal(syscall.SIGKILL) })
	b.proc.waitExit(replicaStop)
	b.start(t) // restarted on a store a kill interrupted
	waitInService(t, lb, replicas)

	logged := lb.loggedQuestions(t, cookie, "recent")
	t.Run("SIGTERM under load", func(t *testing.T) { checkStopped(t, stopped, logged, a) })
	t.Run("SIGKILL under load", func(t *testing.T) { checkKilled(t, killed, logged, b) })
	t.Run("signing out on one signs out everywhere", func(t *testing.T) {
		resp, _ := lb.request(t, "POST", "/staff/signout", cookie, nil, "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /staff/signout through nginx: %d; want 303", resp.StatusCode)
		}
		by := upstream(resp.Header)
		got := lb.statusOnEach(t, replicas, func() *http.Response {
			resp, _ := lb.request(t, "GET", "/staff/api/me", cookie, nil, "")
			return resp
		})
		for _, r := range replicas {
			if got[r.addr] != http.StatusUnauthorized {
				t.Errorf("GET /staff/api/me on %s after signing out on %s: %d; want 401", r.name, by, got[r.addr])
			}
		}
	})
}

// sharedStore is the store both replicas use: a fresh database on a
// throwaway PostgreSQL cluster (skipped, naming Debian's postgresql, where
// it is missing; failed in CI).
func sharedStore(t *testing.T) string { return pgtest.Start(t) }

// addStaff creates a staff account with causette staff, as an operator does.
func addStaff(t *testing.T, bin string, r *replica, name string) {
	t.Helper()
	cmd := exec.Command(bin, "staff", "add", name, "--data", r.data, "--db", r.store)
	cmd.Stdin = strings.NewReader(staffPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("causette staff add %s: %v\n%s", name, err, out)
	}
}

// checkForwardedFor checks that nginx hands the replicas the visitor's
// address, which they believe from a trusted proxy: one visitor reaches
// the cap of sockets per address, another one is still let in.
func checkForwardedFor(t *testing.T, lb *balancer) {
	const visitor, other = "203.0.113.7", "203.0.113.8"
	limit := 2*socketsPerVisitor + 1 // the cap on each replica, and one more
	refused := 0
	for i := 0; i < limit && refused == 0; i++ {
		s, err := lb.dial(visitor)
		if err == nil {
			defer s.conn.Close()
			continue
		}
		refused = i + 1
		if re, ok := err.(refusedError); !ok || re.status != http.StatusTooManyRequests {
			t.Errorf("socket %d through nginx as %s: %v; want 429 past %d per replica", refused, visitor, err, socketsPerVisitor)
		}
	}
	if refused == 0 {
		t.Errorf("%d sockets through nginx as %s all opened: X-Forwarded-For was not read (cap %d per replica)", limit, visitor, socketsPerVisitor)
	}
	s, err := lb.dial(other)
	if err != nil {
		t.Errorf("a socket as %s once %s reached its cap: %v; want it open", other, visitor, err)
		return
	}
	s.conn.Close()
}

// checkForwardedProto checks that nginx says https to the replicas (they
// then send HSTS), which they believe from a trusted proxy only.
func checkForwardedProto(t *testing.T, lb *balancer, direct *replica) {
	resp, _ := lb.request(t, "GET", "/healthz", nil, nil, "")
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET /healthz through nginx over https: no Strict-Transport-Security; X-Forwarded-Proto was not read")
	}
	plain, err := http.Get("http://" + direct.addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	plain.Body.Close()
	if plain.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("GET /healthz on %s over plain http: HSTS sent; want none", direct.name)
	}
}

// checkFollowUp asks a question on one replica and its follow-up, which
// only the context token makes answerable, on the other.
func checkFollowUp(t *testing.T, lb *balancer, a, b *replica) {
	const first, follow, want = "Quel est le modèle phare d'OpenAI ?", "Et celui de Google ?", "Bard"
	onA, onB := lb.dialOn(t, a), lb.dialOn(t, b)
	m := onA.mustAsk(t, "c1", first, "")
	if m.Context == "" {
		t.Fatalf("ask(%q) on %s: no context token", first, a.name)
	}
	got := onB.mustAsk(t, "c2", follow, m.Context)
	if got.Kind != "answer" || !strings.Contains(got.Answer, want) {
		t.Errorf("ask(%q) on %s after %q on %s: %s %q; want an answer holding %q", follow, b.name, first, a.name, got.Kind, got.Answer, want)
	}
	alone := onB.mustAsk(t, "c3", follow, "")
	if strings.Contains(alone.Answer, want) {
		t.Errorf("ask(%q) without context answers %q: the follow-up does not test the token", follow, alone.Answer)
	}
}

// checkFeedback rates down, through one replica, an answer given by the
// other, and looks for it in the log's disliked view.
func checkFeedback(t *testing.T, lb *balancer, cookie *http.Cookie, a, b *replica) {
	const question = "Qui est le PDG de Mistral ? (avis donné sur l’autre réplique)"
	onA, onB := lb.dialOn(t, a), lb.dialOn(t, b)
	m := onA.mustAsk(t, "f1", question, "")
	if err := onB.send(chatMsg{Type: "feedback", ID: "f1", Value: "down", Turn: m.Turn}); err != nil {
		t.Fatal(err)
	}
	// Feedback gets no reply unless refused: the reply to the next ask
	// comes after any refusal.
	next, err := onB.ask("f2", "Bonjour", "")
	if err != nil || next.ID != "f2" {
		t.Errorf("feedback on %s for turn %s answered on %s: then %+v, %v; want no refusal", b.name, m.Turn, a.name, next, err)
	}
	// Taken, the rating is written by that replica's writer a moment later.
	n := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if n = lb.loggedQuestions(t, cookie, "disliked")[question]; n != 0 {
			break
		}
	}
	if n != 1 {
		t.Errorf("the disliked view holds %q %d times after a thumbs down through the other replica; want 1", question, n)
	}
}

// checkEntry adds an entry of the team through one replica and asks its
// question on the other until the entry answers, for entryVisible at most.
func checkEntry(t *testing.T, lb *balancer, cookie *http.Cookie, a, b *replica) {
	const question, answer = "Où se trouve le local des répliques ?", "Le local des répliques est au sous-sol, porte 12."
	body, _ := json.Marshal(map[string]any{"question": question, "answer": answer, "enabled": true})
	resp, data := lb.request(t, "POST", "/staff/api/entries", cookie, strings.NewReader(string(body)), "application/json")
	saved := time.Now()
	var e struct{ ID int64 }
	if resp.StatusCode/100 != 2 || json.Unmarshal(data, &e) != nil || e.ID == 0 {
		t.Fatalf("POST /staff/api/entries through nginx: %d %s", resp.StatusCode, data)
	}
	other := b
	if upstream(resp.Header) == b.addr {
		other = a
	}
	s := lb.dialOn(t, other)
	want := fmt.Sprintf("%s#e%d", web.TeamDoc, e.ID)
	for i := 0; ; i++ {
		m := s.mustAsk(t, fmt.Sprintf("e%d", i), question, "")
		if len(m.Citations) > 0 && m.Citations[0].ID == want {
			t.Logf("the entry added through one replica answered on %s %v after it was saved", other.name, time.Since(saved).Round(time.Millisecond))
			return
		}
		if time.Since(saved) > entryVisible {
			t.Fatalf("ask(%q) on %s %v after the entry was saved on the other replica: %q citing %v; want %s cited", question, other.name, entryVisible, m.Answer, m.Citations, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// loadRun is what a load phase saw.
type loadRun struct {
	visitors []*visitor
	stopAt   time.Time
	on       map[*visitor]string // the replica of each visitor when stopped
}

// underLoad runs loadVisitors visitors through nginx; once each has
// answers, stop ends a replica; the phase ends when each has answers
// again, from the replica left.
func underLoad(t *testing.T, lb *balancer, phase string, stop func()) loadRun {
	t.Helper()
	done := make(chan struct{})
	var wg sync.WaitGroup
	run := loadRun{on: map[*visitor]string{}}
	for n := 0; n < loadVisitors; n++ {
		v := &visitor{n: n, phase: phase, b: lb}
		run.visitors = append(run.visitors, v)
		wg.Add(1)
		go func() { defer wg.Done(); v.run(done) }()
	}
	defer func() { close(done); wg.Wait() }()
	waitAnswers := func(since time.Time) {
		deadline := time.Now().Add(loadWait)
		for _, v := range run.visitors {
			for v.answeredSince(since) < warmAnswers {
				if time.Now().After(deadline) {
					t.Fatalf("%s: visitor %d has %d answers since %v, after %v; want %d", phase, v.n, v.answeredSince(since), since.Format(time.StampMilli), loadWait, warmAnswers)
				}
				time.Sleep(pollEvery)
			}
		}
	}
	waitAnswers(time.Time{})
	for _, v := range run.visitors {
		run.on[v] = v.current()
	}
	run.stopAt = time.Now()
	stop()
	waitAnswers(run.stopAt)
	return run
}

// waitInService waits until nginx sends requests to every replica again
// (it set aside for fail_timeout the one that refused).
func waitInService(t *testing.T, lb *balancer, replicas []*replica) {
	t.Helper()
	deadline := time.Now().Add(loadWait)
	for {
		seen := map[string]bool{}
		for i := 0; i < dialTries; i++ {
			resp, _ := lb.request(t, "GET", "/readyz", nil, nil, "")
			seen[upstream(resp.Header)] = resp.StatusCode == http.StatusOK
		}
		all := true
		for _, r := range replicas {
			all = all && seen[r.addr]
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx does not send to every replica %v after a restart: %v", loadWait, seen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// figures counts a phase's questions, and lists the answered ones missing
// from the log.
func figures(run loadRun, logged map[string]int) (asked, answered int, missing []answered, reconnects []time.Duration) {
	for _, v := range run.visitors {
		v.mu.Lock()
		answered += len(v.answers)
		asked += len(v.answers) + len(v.closes) + v.refused
		for _, a := range v.answers {
			if logged[a.question] == 0 {
				missing = append(missing, a)
			}
		}
		reconnects = append(reconnects, v.reconnects...)
		v.mu.Unlock()
	}
	return asked, answered, missing, reconnects
}

// closeCodes counts the close codes of the sockets r ended.
func closeCodes(run loadRun, r *replica) map[int]int {
	codes := map[int]int{}
	for _, v := range run.visitors {
		v.mu.Lock()
		for _, c := range v.closes {
			if c.upstream == r.addr {
				codes[c.code]++
			}
		}
		v.mu.Unlock()
	}
	return codes
}

// checkStopped checks the SIGTERM phase: the sockets of the stopped
// replica closed with 1001, their visitors went on through the other, and
// every answered question is in the log.
func checkStopped(t *testing.T, run loadRun, logged map[string]int, stopped *replica) {
	asked, answered, missing, reconnects := figures(run, logged)
	t.Logf("SIGTERM under load: %d questions asked, %d answered, %d answered but missing from the log; close codes %v; reconnections %s",
		asked, answered, len(missing), closeCodes(run, stopped), durations(reconnects))
	moved := 0
	for _, v := range run.visitors {
		if run.on[v] != stopped.addr {
			continue
		}
		moved++
		v.mu.Lock()
		var codes []int
		for _, c := range v.closes {
			if c.upstream == stopped.addr {
				codes = append(codes, c.code)
			}
		}
		after := 0
		for _, a := range v.answers {
			if a.at.After(run.stopAt) && a.upstream != stopped.addr {
				after++
			}
		}
		v.mu.Unlock()
		if len(codes) != 1 || codes[0] != 1001 {
			t.Errorf("visitor %d on %s stopped by SIGTERM: close codes %v; want [1001]", v.n, stopped.name, codes)
		}
		if after == 0 {
			t.Errorf("visitor %d got no answer from the other replica after %s stopped", v.n, stopped.name)
		}
	}
	if moved == 0 {
		t.Errorf("no visitor was on %s when it stopped: round robin should have sent it half", stopped.name)
	}
	for _, m := range missing {
		t.Errorf("answered by %s at %s but missing from the log: %q", m.upstream, m.at.Format(time.StampMilli), m.question)
	}
}

// checkKilled checks the SIGKILL phase: the log lost only turns answered
// within killWindow before the kill.
func checkKilled(t *testing.T, run loadRun, logged map[string]int, killed *replica) {
	asked, answered, missing, reconnects := figures(run, logged)
	var offsets []string // when each lost turn was answered, from the kill
	for _, m := range missing {
		offsets = append(offsets, fmt.Sprintf("%+v", m.at.Sub(run.stopAt).Round(time.Microsecond)))
	}
	t.Logf("SIGKILL under load: %d questions asked, %d answered, %d answered but missing from the log (answered at %v from the kill); close codes %v; reconnections %s",
		asked, answered, len(missing), offsets, closeCodes(run, killed), durations(reconnects))
	for _, m := range missing {
		if m.upstream != killed.addr || m.at.Before(run.stopAt.Add(-killWindow)) {
			t.Errorf("answered by %s at %s (kill at %s) but missing from the log: %q; only %s's last %v may be lost",
				m.upstream, m.at.Format(time.StampMilli), run.stopAt.Format(time.StampMilli), m.question, killed.name, killWindow)
		}
	}
}

// TestDeployShowsNginxReplicas checks that docs/deploy.md shows the nginx
// configuration the replicas' test runs, as it is in its file.
func TestDeployShowsNginxReplicas(t *testing.T) {
	conf, err := os.ReadFile(nginxTemplate)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(deployDoc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```nginx\n"+string(conf)+"```\n") {
		t.Errorf("%s does not show %s as it is (copy the file into its nginx block)", deployDoc, nginxTemplate)
	}
}
