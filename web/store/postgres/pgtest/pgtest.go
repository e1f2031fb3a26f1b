// Package pgtest starts a throwaway PostgreSQL cluster for tests, as
// net/http/httptest starts a server: Start gives each test the URL of a
// fresh, empty database on one cluster that the test binary shares.
//
// The cluster runs on 127.0.0.1 with a free port, from Debian's postgresql
// package (/usr/lib/postgresql/*/bin). PostgreSQL refuses to run as root:
// run as root, initdb and postgres run as the postgres user, in a folder
// under /tmp that this user owns.
//
// Stopping: a package whose tests call Start declares
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// which stops the cluster and removes its folder once the tests have run.
// Should the test binary die before (a panic, a timeout, kill -9), the
// server gets SIGQUIT from the kernel as its parent dies (Pdeathsig); only
// its folder is then left under /tmp.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"

	"github.com/causette/causette/web/browsertest"
)

const (
	// binGlob is where Debian's postgresql package puts the server, one
	// folder per major version.
	binGlob = "/usr/lib/postgresql/*/bin"
	// serverUser is the account the server runs as when the tests run as
	// root (Debian's postgresql package creates it).
	serverUser = "postgres"
	// startWait bounds how long the server may take to accept
	// connections: a cold start on a loaded 2-core machine takes a few
	// seconds.
	startWait = 30 * time.Second
	// stopWait bounds a fast shutdown before the server is killed.
	stopWait = 10 * time.Second
	// startTries is how many free ports are tried: another process may
	// take the port between our probe and the server's bind.
	startTries = 3
)

// cluster is the one server a test binary shares.
type cluster struct {
	dir    string     // the folder holding data, socket and log
	port   int        // on 127.0.0.1
	cmd    *exec.Cmd  // the postmaster
	exited chan error // receives the postmaster's end
	err    error      // why it could not start
}

var (
	once    sync.Once
	shared  *cluster
	counter atomic.Int64 // numbers the databases Start creates
)

// Start returns the URL of a new, empty database on the shared cluster,
// started on the first call. The database is dropped when tb ends. Where
// the server's binaries are missing, the test is skipped (failed with CI
// set, see browsertest.NeedTool).
func Start(tb testing.TB) string {
	tb.Helper()
	once.Do(func() { shared = startCluster() })
	if shared.err != nil {
		if _, missing := shared.err.(missingError); missing {
			browsertest.NeedTool(tb, shared.err.Error())
		}
		tb.Fatalf("pgtest: %v", shared.err)
	}
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), counter.Add(1))
	admin := shared.url("postgres")
	if err := exec1(admin, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if err := exec1(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return shared.url(name)
}

// Main runs the tests, then stops the cluster if one was started; use it
// in TestMain and exit with what it returns.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil && shared.err == nil {
		shared.stop()
	}
	return code
}

// missingError says the server's binaries are not installed.
type missingError string

func (e missingError) Error() string { return string(e) }

// url is the address of database name on the cluster.
func (c *cluster) url(name string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", serverUser, c.port, name)
}

// startCluster creates and starts the cluster, or says why not.
func startCluster() *cluster {
	bin, err := findBin()
	if err != nil {
		return &cluster{err: err}
	}
	cred, err := serverCredential()
	if err != nil {
		return &cluster{err: err}
	}
	dir, err := os.MkdirTemp("/tmp", "causette-pg-")
	if err != nil {
		return &cluster{err: err}
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return &cluster{err: err}
		}
	}
	c := &cluster{dir: dir}
	initdb := command(cred, dir, filepath.Join(bin, "initdb"),
		"-D", filepath.Join(dir, "data"), "-U", serverUser, "--auth=trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return &cluster{err: fmt.Errorf("initdb in %s: %v: %s", dir, err, out)}
	}
	for try := 0; try < startTries; try++ {
		if c.err = c.start(bin, cred); c.err == nil {
			return c
		}
	}
	os.RemoveAll(dir)
	return c
}

// start runs the postmaster on a free port and waits until it accepts
// connections.
func (c *cluster) start(bin string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	logFile, err := os.OpenFile(filepath.Join(c.dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	// fsync off: the data is thrown away, and durability is not what
	// these tests are about.
	c.cmd = command(cred, c.dir, filepath.Join(bin, "postgres"),
		"-D", filepath.Join(c.dir, "data"), "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+c.dir,
		"-c", "fsync=off", "-c", "max_connections=200")
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- c.cmd.Wait() }()
	deadline := time.Now().Add(startWait)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
			return fmt.Errorf("postgres on port %d exited: %v: %s", port, err, log)
		case <-time.After(100 * time.Millisecond):
		}
		if exec1(c.url("postgres"), "SELECT 1") == nil {
			c.exited = exited
			return nil
		}
	}
	c.cmd.Process.Kill()
	return fmt.Errorf("postgres on port %d did not answer within %v (log in %s)", port, startWait, c.dir)
}

// stop shuts the server down fast (SIGINT), kills it if it lingers, and
// removes its folder.
func (c *cluster) stop() {
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.exited:
	case <-time.After(stopWait):
		c.cmd.Process.Kill()
		<-c.exited
	}
	os.RemoveAll(c.dir)
}

// findBin returns the newest installed server's bin folder.
func findBin() (string, error) {
	dirs, _ := filepath.Glob(binGlob)
	var found []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		return "", missingError(fmt.Sprintf("no PostgreSQL server in %s: apt-get install postgresql (Debian's package)", binGlob))
	}
	sort.Slice(found, func(i, j int) bool { return majorOf(found[i]) < majorOf(found[j]) })
	return found[len(found)-1], nil
}

// majorOf reads the major version in /usr/lib/postgresql/15/bin.
func majorOf(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// serverCredential is who the server runs as: nil (ourselves) unless we
// are root, which PostgreSQL refuses.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(serverUser)
	if err != nil {
		return nil, missingError(fmt.Sprintf("running as root, and no %s user to run PostgreSQL as: apt-get install postgresql (Debian's package)", serverUser))
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// command prepares a server program run as cred in dir, killed with
// SIGQUIT (immediate shutdown) should the test binary die first.
func command(cred *syscall.Credential, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	return cmd
}

// freePort asks the kernel for a port free on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// exec1 runs one statement on the database at url.
func exec1(url, statement string) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	_, err = db.ExecContext(ctx, statement)
	return err
}
