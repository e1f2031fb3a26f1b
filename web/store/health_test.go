package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// damagedRows fill a database over hundreds of pages, so that pages in
	// its middle hold rows and index entries, not the schema.
	damagedRows = 5000
	// damagedPages is how many pages the test overwrites.
	damagedPages = 8
)

// mustDamagedDB writes a database of damagedRows turns asked at `at`, then
// overwrites pages three quarters into the file (table pages the purge reads,
// past the schema and the indexes made with the table), as a failing disk or a stray
// write would.
func mustDamagedDB(tb testing.TB, database Database, at time.Time) {
	tb.Helper()
	ctx := context.Background()
	path := database.Name()
	db, err := connect(ctx, database)
	if err != nil {
		tb.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	insert, err := prepareInsert(ctx, tx)
	if err != nil {
		tb.Fatal(err)
	}
	question := strings.Repeat("Quelle est la recette de la tarte Tatin ? ", 5)
	for i := range damagedRows {
		if err := insertTurn(ctx, insert, Turn{Time: at.Add(time.Duration(i) * time.Second), Question: question, Kind: "no_answer", Key: fmt.Sprintf("t%016x", i)}); err != nil {
			tb.Fatal(err)
		}
	}
	insert.Close()
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	var pageSize int64
	if err := db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		tb.Fatal(err)
	}
	// Closing the last connection checkpoints the WAL into the file.
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	pages := fi.Size() / pageSize
	if pages < 20*damagedPages {
		tb.Fatalf("database of %d turns spans %d pages; want many more than the %d overwritten", damagedRows, pages, damagedPages)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	junk := bytes.Repeat([]byte{0xA5}, int(damagedPages*pageSize))
	if _, err := f.WriteAt(junk, pages*3/4*pageSize); err != nil {
		tb.Fatal(err)
	}
}

func TestDamagedDatabase(t *testing.T) {
	onlySQLite(t, func(t *testing.T, database Database) {
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		tests := []struct {
			name        string
			asked       time.Time // when the turns were asked
			purgeFailed int64
		}{
			// The purge finds nothing to delete: only the check sees the damage.
			{"recent turns", now.Add(-24 * time.Hour), 0},
			// The purge reads the damaged pages and fails: counted, then checked.
			{"turns past the retention", now.AddDate(-1, 0, 0), 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				path := database
				mustDamagedDB(t, path, tt.asked)
				var logs bytes.Buffer
				l := Open(path, Options{Days: 30, Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
				defer l.Close()
				h := l.Health()
				if h.OK || h.Integrity == "" || h.PurgeFailed != tt.purgeFailed {
					t.Errorf("Health of a database with %d pages overwritten = %+v; want not ok, the integrity check's finding, %d failed purge",
						damagedPages, h, tt.purgeFailed)
				}
				if tt.purgeFailed > 0 && (h.PurgeError == "" || !h.LastPurge.IsZero()) {
					t.Errorf("Health after a failed purge = %+v; want its error and no successful purge", h)
				}
				if p := h.Public(); p.OK || p.Problem != ProblemDamaged || p.PurgeFailed != tt.purgeFailed {
					t.Errorf("Health.Public() = %+v; want not ok, problem %q, %d failed purge", p, ProblemDamaged, tt.purgeFailed)
				}
				line := ""
				for _, l := range strings.Split(logs.String(), "\n") {
					if strings.Contains(l, "question log damaged") {
						line = l
					}
				}
				if line == "" || !strings.Contains(line, path.Name()) || !strings.Contains(line, "reason="+strconv.Quote(h.Integrity)) {
					t.Errorf("log = %q; want a line saying question log damaged, with the file and the finding %q", logs.String(), h.Integrity)
				}
				if tt.purgeFailed > 0 && !strings.Contains(logs.String(), "question log purge failed") {
					t.Errorf("log = %q; want a line about the failed purge", logs.String())
				}
			})
		}
	})
}

// TestPurgeFailureCounted makes the purge of a running log fail (a trigger
// refuses deletes, as a locked or full disk would): the failure is counted
// and shown until a purge succeeds again.
func TestPurgeFailureCounted(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		now := start
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		path := database
		var logs syncBuffer
		l := mustOpen(t, path, Options{Days: 30, Now: clock, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		other := rawDB(t, path)
		for _, s := range refusePurge[adapterName(path)] {
			if _, err := other.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		l.Record(Turn{Question: "Posée le premier novembre", Kind: "answer"})
		mustFlush(t, l)
		advance(31 * 24 * time.Hour)
		l.Record(Turn{Question: "Posée un mois plus tard", Kind: "answer"})
		mustFlush(t, l)
		h := l.Health()
		if h.OK || h.PurgeFailed != 1 || !strings.Contains(h.PurgeError, "purge refused") || !h.LastPurge.Equal(start) {
			t.Errorf("Health after a refused purge = %+v; want not ok, 1 failed purge with its error, last purge at %v", h, start)
		}
		if p := h.Public(); p.OK || p.Problem != ProblemPurgeFailed || p.PurgeFailed != 1 {
			t.Errorf("Health.Public() after a refused purge = %+v; want not ok, problem %q, 1 failed purge", p, ProblemPurgeFailed)
		}
		if !strings.Contains(logs.String(), "question log purge failed") {
			t.Errorf("log = %q; want a line about the failed purge", logs.String())
		}

		if _, err := other.Exec(allowPurge[adapterName(path)]); err != nil {
			t.Fatal(err)
		}
		advance(purgeEvery)
		l.Record(Turn{Question: "Posée une heure après", Kind: "answer"})
		mustFlush(t, l)
		if h := l.Health(); !h.OK || h.PurgeFailed != 1 || h.PurgeError != "" || !h.LastPurge.Equal(clock()) {
			t.Errorf("Health after a purge succeeded again = %+v; want ok, still 1 failed purge, last purge at %v", h, clock())
		}
		if got, _ := l.Recent(context.Background(), time.Time{}, 0); len(got) != 2 {
			t.Errorf("after the purge succeeded, the log holds %d turns; want the 2 of the retention", len(got))
		}
	})
}

// TestPublicHealth: what anyone may see names the problem and counts, never
// a path or an error text.
func TestPublicHealth(t *testing.T) {
	const path = "/srv/causette/causette.db"
	failing := Health{Open: true, Written: 7, Queued: 1, Dropped: 2, Failed: 3, PurgeFailed: 4}
	tests := []struct {
		name string
		h    func(Health) Health
		want string
	}{
		{"sound", func(h Health) Health { h.OK = true; return h }, ""},
		{"damaged", func(h Health) Health {
			h.Integrity = "*** in database main *** Page 42: btreeInitPage() returns error code 11"
			h.PurgeError = "purge turns before 2026-10-26T12:00:00Z: database disk image is malformed (11)"
			return h
		}, ProblemDamaged},
		{"unavailable", func(h Health) Health {
			h.Open = false
			h.Error = "open " + path + ": unable to open database file: out of memory (14)"
			return h
		}, ProblemUnavailable},
		{"write failed", func(h Health) Health { h.Error = "commit: disk I/O error (10) " + path; return h }, ProblemWriteFailed},
		{"purge failed", func(h Health) Health { h.PurgeError = "purge turns: database is locked (5) " + path; return h }, ProblemPurgeFailed},
	}
	for _, tt := range tests {
		h := tt.h(failing)
		p := h.Public()
		if p.OK != h.OK || p.Problem != tt.want || p.Written != 7 || p.Queued != 1 || p.Dropped != 2 || p.Failed != 3 || p.PurgeFailed != 4 {
			t.Errorf("%s: Public() = %+v; want ok %v, problem %q and the counters of %+v", tt.name, p, h.OK, tt.want, h)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"/srv", "causette.db", "error", "malformed", "btree", "locked"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s: Public() as JSON = %s; want no %q in it", tt.name, b, secret)
			}
		}
	}
}

// syncBuffer is a log destination the writer and an integrity check beside
// it may both write while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// refusePurge makes each database refuse to delete turns, by a trigger
// raising "purge refused".
var refusePurge = map[string][]string{
	"sqlite": {`CREATE TRIGGER refuse_purge BEFORE DELETE ON turns BEGIN SELECT RAISE(ABORT, 'purge refused'); END`},
	"postgres": {
		`CREATE FUNCTION refuse_purge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'purge refused'; END $$`,
		`CREATE TRIGGER refuse_purge BEFORE DELETE ON turns FOR EACH ROW EXECUTE FUNCTION refuse_purge()`,
	},
}

// allowPurge drops refusePurge's trigger.
var allowPurge = map[string]string{"sqlite": `DROP TRIGGER refuse_purge`, "postgres": `DROP TRIGGER refuse_purge ON turns`}
