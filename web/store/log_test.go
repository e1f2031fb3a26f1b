package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// flushWait bounds how long a test waits for the writer.
const flushWait = 10 * time.Second

// recordWait is far longer than Records that never wait can take, far
// shorter than a stall (the test holds it until it is done).
const recordWait = 2 * time.Second

func mustOpen(tb testing.TB, path Database, o Options) *Log {
	tb.Helper()
	l := Open(path, o)
	if h := l.Health(); !h.OK {
		tb.Fatalf("Open(%s): health %+v; want ok", path, h)
	}
	tb.Cleanup(func() { l.Close() })
	return l
}

func mustFlush(tb testing.TB, l *Log) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), flushWait)
	defer cancel()
	if err := l.Flush(ctx); err != nil {
		tb.Fatalf("Flush: %v", err)
	}
}

func TestRecordReadBack(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := mustOpen(t, database, Options{})
		at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		in := []Turn{
			{Time: at, Question: "Qui dirige Mistral ?", Kind: "answer", Confidence: 0.86, Passage: "mistral-ai#p3", Latency: 1500 * time.Microsecond},
			{Time: at.Add(time.Minute), Question: "Quel temps fait-il à Brest ?", Kind: "no_answer", Confidence: 0.1, Latency: 900 * time.Microsecond},
			{Time: at.Add(2 * time.Minute), Question: "Bonjour", Kind: "smalltalk", Confidence: 1},
		}
		// The views read from the retention window: make "now" the day after.
		l.now = func() time.Time { return at.Add(24 * time.Hour) }
		for _, tr := range in {
			if !l.Record(tr) {
				t.Fatalf("Record(%q) dropped", tr.Question)
			}
		}
		mustFlush(t, l)
		got, err := l.Recent(context.Background(), at.Add(-time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(in) {
			t.Fatalf("Recent: %d turns; want %d", len(got), len(in))
		}
		for i, want := range in {
			g := got[len(got)-1-i] // newest first
			g.ID = 0
			if g != want {
				t.Errorf("turn %d read back as %+v; want %+v", i, g, want)
			}
		}
		if h := l.Health(); h.Written != 3 || h.Failed != 0 || h.Dropped != 0 {
			t.Errorf("Health after 3 turns = %+v; want written 3, no failure", h)
		}
	})
}

func TestRestartKeepsTurns(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		path := database
		l := Open(path, Options{})
		questions := []string{"Où est le siège ?", "Combien vaut Mistral ?", "Qui a fondé Mistral ?"}
		for _, q := range questions {
			l.Record(Turn{Question: q, Kind: "answer"})
		}
		// Close writes what is queued: no Flush before it.
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		l = mustOpen(t, path, Options{})
		got, err := l.Recent(context.Background(), time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, tr := range got {
			texts = append(texts, tr.Question)
		}
		if len(got) != len(questions) {
			t.Fatalf("after restart: %q; want the %d questions %q", texts, len(questions), questions)
		}
		// And the read-only opening used by the command line reads them too.
		ro, err := OpenReadOnly(context.Background(), path)
		if err != nil {
			t.Fatalf("OpenReadOnly: %v", err)
		}
		defer ro.Close()
		if got, err := ro.Recent(context.Background(), time.Time{}, 0); err != nil || len(got) != len(questions) {
			t.Errorf("OpenReadOnly.Recent = %d turns, %v; want %d", len(got), err, len(questions))
		}
	})
}

func TestPurgeByAge(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		path := database
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		l := Open(path, Options{Days: 30, Now: clock})
		ages := map[string]time.Duration{
			"hier":            24 * time.Hour,
			"il y a 29 jours": 29 * 24 * time.Hour,
			"il y a 31 jours": 31 * 24 * time.Hour,
			"il y a un an":    365 * 24 * time.Hour,
		}
		for q, age := range ages {
			l.Record(Turn{Time: now.Add(-age), Question: q, Kind: "answer"})
		}
		l.Close()
		// Reopening purges what is past the retention.
		l = mustOpen(t, path, Options{Days: 30, Now: clock})
		got, err := l.Recent(context.Background(), time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		kept := map[string]bool{}
		for _, tr := range got {
			kept[tr.Question] = true
		}
		for q, age := range ages {
			if want := age < 30*24*time.Hour; kept[q] != want {
				t.Errorf("turn %q (%v old) kept = %v; want %v with --log-days 30", q, age, kept[q], want)
			}
		}
	})
}

func TestFeedbackAndDisliked(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := mustOpen(t, database, Options{})
		l.Record(Turn{Key: "k1", Question: "Qui dirige Mistral ?", Kind: "answer", Passage: "mistral-ai#p3"})
		l.Record(Turn{Key: "k2", Question: "Combien d'employés ?", Kind: "answer", Passage: "mistral-ai#p9"})
		l.Record(Turn{Key: "k3", Question: "Où est le siège ?", Kind: "answer"})
		for _, f := range []struct{ key, value string }{{"k1", "up"}, {"k2", "up"}, {"k2", "down"}, {"k3", "bof"}, {"inconnue", "down"}} {
			l.Feedback(f.key, f.value)
		}
		mustFlush(t, l)
		got, err := l.Disliked(context.Background(), time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Question != "Combien d'employés ?" || got[0].Feedback != "down" {
			t.Fatalf("Disliked = %+v; want only %q with feedback down", got, "Combien d'employés ?")
		}
		all, _ := l.Recent(context.Background(), time.Time{}, 0)
		for _, tr := range all {
			want := map[string]string{"Qui dirige Mistral ?": "up", "Combien d'employés ?": "down", "Où est le siège ?": ""}[tr.Question]
			if tr.Feedback != want {
				t.Errorf("turn %q feedback %q; want %q", tr.Question, tr.Feedback, want)
			}
		}
	})
}

func TestGroupKey(t *testing.T) {
	tests := []struct {
		a, b  string
		alike bool
	}{
		{"Qui dirige Mistral ?", "qui DIRIGE mistral", true},
		{"Qui dirige Mistral ?", "Qui est le dirigeant de Mistral ?", true},
		{"Où se trouve le siège ?", "le siege, il se trouve où", true},
		{"Quel est le prix d'un café ?", "Combien coûte un cafe", false}, // synonyms: mergeSimilar's
		{"Quel est le prix d'un café ?", "Où boire un café ?", false},
		{"Qui dirige Mistral ?", "Qui a fondé Mistral ?", false},
		{"???", "!!!", true},
	}
	for _, tt := range tests {
		ka, kb := GroupKey(tt.a), GroupKey(tt.b)
		if (ka == kb) != tt.alike {
			t.Errorf("GroupKey(%q) = %q, GroupKey(%q) = %q; alike = %v, want %v", tt.a, ka, tt.b, kb, ka == kb, tt.alike)
		}
	}
}

func TestUnansweredGroupsAlike(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := mustOpen(t, database, Options{})
		base := time.Now().Add(-time.Hour)
		asked := []struct {
			q    string
			kind string
		}{
			{"Quel temps fait-il à Brest ?", "no_answer"},
			{"quel temps fait il a brest", "no_answer"},
			{"Quel temps fait-il à Brest ?", "no_answer"},
			{"Combien coûte un café ?", "no_answer"},
			{"Qui dirige Mistral ?", "answer"},
			{"Bonjour", "smalltalk"},
		}
		for i, a := range asked {
			l.Record(Turn{Time: base.Add(time.Duration(i) * time.Second), Question: a.q, Kind: a.kind})
		}
		mustFlush(t, l)
		ctx := context.Background()
		un, err := l.Unanswered(ctx, base.Add(-time.Minute), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(un) != 2 {
			t.Fatalf("Unanswered = %+v; want 2 groups (Brest x3, café x1)", un)
		}
		if g := un[0]; g.Count != 3 || g.Question != "Quel temps fait-il à Brest ?" || len(g.Wordings) != 2 || g.NoAnswer != 3 {
			t.Errorf("first group = %+v; want %q asked 3 times in 2 wordings", g, "Quel temps fait-il à Brest ?")
		}
		if g := un[1]; g.Count != 1 || g.Question != "Combien coûte un café ?" {
			t.Errorf("second group = %+v; want %q once", g, "Combien coûte un café ?")
		}
		top, err := l.Top(ctx, base.Add(-time.Minute), 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 2 || top[0].Count != 3 {
			t.Errorf("Top(limit 2) = %+v; want 2 groups, Brest first with 3", top)
		}
		for _, g := range top {
			if g.Question == "Bonjour" {
				t.Errorf("Top lists small talk %q", g.Question)
			}
		}
		// The since bound leaves older turns out.
		if un, _ := l.Unanswered(ctx, time.Now().Add(time.Hour), 0); len(un) != 0 {
			t.Errorf("Unanswered since the future = %+v; want none", un)
		}
	})
}

func TestUnwritableDatabase(t *testing.T) {
	{
		dir := t.TempDir()
		file := filepath.Join(dir, "fichier")
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		readOnly := filepath.Join(dir, "lecture-seule")
		if err := os.Mkdir(readOnly, 0o555); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, path string
		}{
			{"missing directory", filepath.Join(dir, "absent", "causette.db")},
			{"directory is a file", filepath.Join(file, "causette.db")},
			{"read-only directory", filepath.Join(readOnly, "causette.db")},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.name == "read-only directory" && os.Geteuid() == 0 {
					t.Skip("running as root: a read-only directory is still writable")
				}
				var logs bytes.Buffer
				l := Open(SQLiteFile(tt.path), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
				defer l.Close()
				if !l.Record(Turn{Question: "Qui dirige Mistral ?", Kind: "answer"}) {
					t.Errorf("Record with db %s dropped the turn; want it queued (the queue is not full)", tt.path)
				}
				mustFlush(t, l)
				h := l.Health()
				if h.OK || h.Failed != 1 || h.Error == "" {
					t.Errorf("Health with db %s = %+v; want not ok, 1 failed, an error", tt.path, h)
				}
				if !strings.Contains(logs.String(), "question log write failed") {
					t.Errorf("log with db %s = %q; want a line about the failed write", tt.path, logs.String())
				}
				if _, err := l.Unanswered(context.Background(), time.Time{}, 0); err == nil {
					t.Errorf("Unanswered with db %s: no error; want ErrUnavailable", tt.path)
				}
			})
		}
	}
}

// TestSlowDiskNeverBlocks stalls the disk: Record must still return at once,
// counting drops once the queue is full.
func TestSlowDiskNeverBlocks(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		path := database
		l := mustOpen(t, path, Options{})
		release := mustStall(t, path)
		total := queueSize + maxBatch + 100
		done := make(chan int)
		go func() {
			queued := 0
			for i := 0; i < total; i++ {
				if l.Record(Turn{Question: "Qui dirige Mistral ?", Kind: "answer"}) {
					queued++
				}
			}
			done <- queued
		}()
		var queued int
		select {
		case queued = <-done:
		case <-time.After(recordWait):
			t.Fatalf("%d Records still running while the disk is stalled; want them to return at once", total)
		}
		release()
		mustFlush(t, l)
		h := l.Health()
		if h.Dropped == 0 || int(h.Dropped) != total-queued {
			t.Errorf("Health = %+v after %d Records, %d queued; want %d dropped", h, total, queued, total-queued)
		}
		if int(h.Written+h.Failed) != queued {
			t.Errorf("Health = %+v; want written + failed = %d queued", h, queued)
		}
	})
}

// TestWriterBehindDrops stalls the disk: once the oldest turn not committed
// has waited maxUnwritten, the next turns and feedback are dropped and
// counted rather than queued, so a crash loses at most maxUnwritten of
// traffic. Once the writer catches up, turns are queued again.
func TestWriterBehindDrops(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		path := database
		var logs syncBuffer
		l := mustOpen(t, path, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		var mu sync.Mutex
		var elapsed time.Duration
		l.elapsed = func() time.Duration { mu.Lock(); defer mu.Unlock(); return elapsed }
		advance := func(d time.Duration) { mu.Lock(); elapsed += d; mu.Unlock() }

		release := mustStall(t, path)
		if !l.Record(Turn{Key: "k1", Question: "Qui dirige Mistral ?", Kind: "answer"}) {
			t.Fatalf("first Record while the disk stalls dropped; want it queued")
		}
		advance(maxUnwritten / 2)
		if !l.Record(Turn{Question: "Où est le siège ?", Kind: "answer"}) {
			t.Errorf("Record %v after the oldest unwritten turn dropped; want it queued", maxUnwritten/2)
		}
		advance(maxUnwritten/2 + time.Millisecond)
		if l.Record(Turn{Question: "Combien vaut Mistral ?", Kind: "answer"}) {
			t.Errorf("Record %v after the oldest unwritten turn queued; want it dropped", maxUnwritten+time.Millisecond)
		}
		if err := l.Feedback("k1", "up"); !errors.Is(err, ErrDropped) {
			t.Errorf("Feedback %v after the oldest unwritten turn = %v; want %v", maxUnwritten+time.Millisecond, err, ErrDropped)
		}
		release()
		mustFlush(t, l)
		if !l.Record(Turn{Question: "Qui a fondé Mistral ?", Kind: "answer"}) {
			t.Errorf("Record once the writer caught up dropped; want it queued")
		}
		mustFlush(t, l)
		if h := l.Health(); h.Written != 3 || h.Dropped != 2 || !h.OK {
			t.Errorf("Health = %+v; want 3 written, 2 dropped, ok", h)
		}
		if !strings.Contains(logs.String(), "question log dropped turns") {
			t.Errorf("log = %q; want a line about the dropped turns", logs.String())
		}
	})
}

// TestPurgeWhileRunning: a log open for longer than purgeEvery deletes what
// passed the retention without a restart.
func TestPurgeWhileRunning(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		now := start
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		l := mustOpen(t, database, Options{Days: 30, Now: clock})
		l.Record(Turn{Question: "Posée le premier novembre", Kind: "answer"})
		mustFlush(t, l)
		mu.Lock()
		now = start.Add(31 * 24 * time.Hour)
		mu.Unlock()
		l.Record(Turn{Question: "Posée un mois plus tard", Kind: "answer"})
		mustFlush(t, l)
		got, err := l.Recent(context.Background(), time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Question != "Posée un mois plus tard" {
			t.Errorf("after 31 days with --log-days 30, the log holds %+v; want only the recent turn", got)
		}
	})
}
