package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/causette/causette/web/browsertest"
)

// The harness of the replicas' test (replicas_test.go): the causette binary
// built once, replicas run as real processes (signals are real), and
// Debian's nginx in front, run with docs/deploy/nginx-replicas.conf.

const (
	// nginxTemplate is the configuration docs/deploy.md shows; the test
	// runs it with its documented addresses replaced.
	nginxTemplate = "../../docs/deploy/nginx-replicas.conf"
	// debianNginx is where Debian's nginx package puts the server.
	debianNginx = "/usr/sbin/nginx"
	// deployDoc shows it.
	deployDoc = "../../docs/deploy.md"
	// replicaSecret signs the context tokens of every replica: one key, so
	// that each reads the others' tokens.
	replicaSecret = "replicas-test-secret-0123456789abcdef"
	// replicaStart bounds a replica's start, its first index built on a
	// loaded 2-core machine included.
	replicaStart = 60 * time.Second
	// replicaStop bounds a replica's end after SIGTERM: its
	// --shutdown-wait (5 s) and the question log's last writes.
	replicaStop = 20 * time.Second
	// outputWait bounds how long a process's output is read once it has
	// ended: a child it left behind must not hold the test.
	outputWait = 5 * time.Second
	// socketsPerVisitor is each replica's cap of sockets per visitor
	// address, low so that the test reaches it.
	socketsPerVisitor = 4
	// pollEvery is how often the harness looks whether a process is ready.
	pollEvery = 20 * time.Millisecond
)

// buildCausette builds the causette binary into dir and returns its path.
func buildCausette(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "causette")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a program the test started, its output kept.
type process struct {
	name   string
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited chan struct{} // closed when it has ended
	err    error         // what Wait returned, once exited is closed
}

// lockedBuffer is a bytes.Buffer that a process and the test share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startProcess runs name args with env added, killed if the test binary
// dies first (Pdeathsig) and at the test's end if still running.
func startProcess(t *testing.T, label string, env []string, name string, args ...string) *process {
	t.Helper()
	p := &process{name: label, cmd: exec.Command(name, args...), out: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p.cmd.WaitDelay = outputWait
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", label, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// running reports whether the process has not ended yet.
func (p *process) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// waitExit waits at most d for the process to end, and says whether it did.
func (p *process) waitExit(d time.Duration) bool {
	select {
	case <-p.exited:
		return true
	case <-time.After(d):
		return false
	}
}

// replica is one `causette serve` on 127.0.0.1, with its own data and
// index folders, on the shared store.
type replica struct {
	name, addr, data, store, bin string
	proc                         *process
}

// newReplica prepares a replica named name serving on a free port.
func newReplica(t *testing.T, bin, dir, name, store string) *replica {
	return &replica{name: name, addr: freeAddr(t), data: filepath.Join(dir, name), store: store, bin: bin}
}

// start runs the replica and waits until /readyz says it serves a corpus.
func (r *replica) start(t *testing.T) {
	t.Helper()
	r.launch(t)
	r.waitReady(t)
}

// launch runs the replica.
func (r *replica) launch(t *testing.T) {
	t.Helper()
	r.proc = startProcess(t, r.name, []string{secretEnv + "=" + replicaSecret}, r.bin, "serve",
		"--addr", r.addr, "--data", r.data, "--index", filepath.Join(r.data, "index"), "--db", r.store,
		"--trusted-proxy", "127.0.0.1", "--staff-token", "replicas-token-0123456789",
		// Visitors here ask as fast as they are answered.
		"--rate", "1000", "--rate-burst", "1000", "--api-rate", "1000", "--api-burst", "1000",
		"--max-conns-per-ip", strconv.Itoa(socketsPerVisitor))
}

// waitReady waits until /readyz says the replica serves a corpus.
func (r *replica) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(replicaStart)
	for time.Now().Before(deadline) {
		if !r.proc.running() {
			t.Fatalf("%s ended before serving: %v\n%s", r.name, r.proc.err, r.proc.out)
		}
		if resp, err := http.Get("http://" + r.addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(pollEvery)
	}
	t.Fatalf("%s not ready within %v:\n%s", r.name, replicaStart, r.proc.out)
}

// freeAddr is an address on 127.0.0.1 that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// balancer is nginx on 127.0.0.1 in front of the replicas, over TLS with a
// certificate of its own that client trusts.
type balancer struct {
	addr   string
	dialed atomic.Int64 // numbers the visitors' addresses of dialOn
	client *http.Client
	tls    *tls.Config
	proc   *process
}

// startNginx runs nginx with the documented configuration in front of the
// replicas, and waits until it accepts connections. nginx started as root
// gets its own prefix, pid file and temp paths, and logs to stderr.
func startNginx(t *testing.T, nginx, dir string, replicas ...*replica) *balancer {
	t.Helper()
	prefix := filepath.Join(dir, "nginx")
	for _, sub := range []string{"", "temp"} {
		if err := os.MkdirAll(filepath.Join(prefix, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b := &balancer{addr: freeAddr(t)}
	cert, key, pool := selfSigned(t, prefix)
	b.tls = &tls.Config{RootCAs: pool}
	b.client = &http.Client{
		Transport:     &http.Transport{TLSClientConfig: b.tls.Clone()},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	site := filepath.Join(prefix, "causette.conf")
	writeFile(t, site, documentedNginx(t, b.addr, cert, key, replicas))
	main := filepath.Join(prefix, "nginx.conf")
	writeFile(t, main, nginxMain(prefix, site))
	b.proc = startProcess(t, "nginx", nil, nginx, "-p", prefix, "-c", main, "-e", "stderr")
	deadline := time.Now().Add(replicaStart)
	for time.Now().Before(deadline) {
		if !b.proc.running() {
			t.Fatalf("nginx ended: %v\n%s", b.proc.err, b.proc.out)
		}
		if c, err := net.Dial("tcp", b.addr); err == nil {
			c.Close()
			return b
		}
		time.Sleep(pollEvery)
	}
	t.Fatalf("nginx does not accept on %s:\n%s", b.addr, b.proc.out)
	return nil
}

// needNginx returns the nginx program, or skips the test (fails it in
// CI) naming the Debian package to install.
func needNginx(t *testing.T) string {
	t.Helper()
	if nginx, err := exec.LookPath("nginx"); err == nil {
		return nginx
	}
	if _, err := os.Stat(debianNginx); err == nil {
		return debianNginx // /usr/sbin is not in every PATH
	}
	browsertest.NeedTool(t, "no nginx: apt-get install nginx (Debian's package)")
	return ""
}

// documentedNginx is docs/deploy/nginx-replicas.conf with its addresses,
// certificate and name replaced by the test's. Each replaced text must be
// in the template: a template that changes shape fails here, loudly.
func documentedNginx(t *testing.T, listen, cert, key string, replicas []*replica) string {
	t.Helper()
	src, err := os.ReadFile(nginxTemplate)
	if err != nil {
		t.Fatal(err)
	}
	if len(replicas) != 2 {
		t.Fatalf("the template has two replicas; the test gives %d", len(replicas))
	}
	pairs := []string{
		"listen 443 ssl http2;", "listen " + listen + " ssl http2;",
		"server 127.0.0.1:8081 ", "server " + replicas[0].addr + " ",
		"server 127.0.0.1:8082 ", "server " + replicas[1].addr + " ",
		"/etc/letsencrypt/live/faq.exemple.fr/fullchain.pem", cert,
		"/etc/letsencrypt/live/faq.exemple.fr/privkey.pem", key,
	}
	for i := 0; i < len(pairs); i += 2 {
		if !bytes.Contains(src, []byte(pairs[i])) {
			t.Fatalf("%s lacks %q, which the test replaces", nginxTemplate, pairs[i])
		}
	}
	return strings.NewReplacer(pairs...).Replace(string(src))
}

// nginxMain is the main configuration around the documented one: what a
// packaged nginx has in /etc/nginx/nginx.conf, with every path in prefix,
// and one header for the test, which replica answered.
func nginxMain(prefix, site string) string {
	temp := func(name string) string { return filepath.Join(prefix, "temp", name) }
	// One process, no workers: the test's Pdeathsig and kill end all of
	// nginx, where a master killed leaves its workers running; and that
	// process keeps the test's user, who made the temp paths.
	return fmt.Sprintf(`daemon off;
master_process off;
pid %s;
error_log stderr notice;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %s;
    proxy_temp_path %s;
    fastcgi_temp_path %s;
    uwsgi_temp_path %s;
    scgi_temp_path %s;
    add_header X-Upstream $upstream_addr always;
    include %s;
}
`, filepath.Join(prefix, "nginx.pid"), temp("body"), temp("proxy"), temp("fastcgi"), temp("uwsgi"), temp("scgi"), site)
}

// upstream is the replica that answered resp through nginx: the last
// address of X-Upstream (nginx lists each one it tried).
func upstream(h http.Header) string {
	v := h.Get("X-Upstream")
	if i := strings.LastIndex(v, ","); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// selfSigned writes a certificate for 127.0.0.1 and its key in dir, and
// returns their paths and a pool that trusts it.
func selfSigned(t *testing.T, dir string) (cert, key string, pool *x509.CertPool) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "faq.exemple.fr"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, cert, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, key, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})))
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(parsed)
	return cert, key, pool
}

// writeFile writes text to path, or stops the test.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
