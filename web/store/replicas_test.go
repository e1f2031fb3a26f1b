package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// The tests of this file open two Logs on one database, as two replicas
// behind a load balancer do: what one writes, the other must see, for
// nothing about a visitor or a staff member may live in one process.

// TestFeedbackThroughAnotherLog: a feedback recorded through B lands on a
// turn A wrote, and on one A had still queued (its writer stalled).
func TestFeedbackThroughAnotherLog(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		a, b := mustOpen(t, database, Options{}), mustOpen(t, database, Options{})
		a.Record(Turn{Key: "written", Question: "Qui dirige Mistral ?", Kind: "answer"})
		mustFlush(t, a)
		if err := b.Feedback("written", "down"); err != nil {
			t.Fatalf("B.Feedback on a turn A wrote = %v; want nil", err)
		}
		release := mustStall(t, database)
		a.Record(Turn{Key: "queued", Question: "Où est le siège ?", Kind: "answer"})
		done := make(chan error, 1)
		go func() { done <- b.Feedback("queued", "up") }()
		release() // A writes its turn; B, looking for it meanwhile, finds it
		if err := <-done; err != nil {
			t.Fatalf("B.Feedback on a turn A had queued = %v; want nil (looked for until written)", err)
		}
		mustFlush(t, a)
		mustFlush(t, b)
		all, err := a.Recent(context.Background(), time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"Qui dirige Mistral ?": "down", "Où est le siège ?": "up"}
		if len(all) != len(want) {
			t.Fatalf("A reads %d turns; want %d", len(all), len(want))
		}
		for _, tr := range all {
			if tr.Feedback != want[tr.Question] {
				t.Errorf("turn %q read by A: feedback %q; want %q (given through B)", tr.Question, tr.Feedback, want[tr.Question])
			}
		}
		if err := b.Feedback("jamais-vu", "up"); !errors.Is(err, ErrUnknownTurn) {
			t.Errorf("B.Feedback on a key no replica recorded = %v; want ErrUnknownTurn", err)
		}
	})
}

// TestTurnsByKeyAcrossLogs: the contact form on B copies the turns a
// visitor had on A, and a restart forgets nothing.
func TestTurnsByKeyAcrossLogs(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		a := mustOpen(t, database, Options{})
		a.Record(Turn{Key: "k1", Question: "Qui dirige Mistral ?", Kind: "answer", Answer: "Arthur Mensch."})
		a.Record(Turn{Key: "k2", Question: "Et son siège ?", Kind: "no_answer", Previous: "Qui dirige Mistral ?"})
		a.Close()
		b := mustOpen(t, database, Options{})
		got, err := b.TurnsByKey(context.Background(), []string{"k2", "inconnue", "k1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Question != "Et son siège ?" || got[0].Previous != "Qui dirige Mistral ?" || got[1].Answer != "Arthur Mensch." {
			t.Errorf("TurnsByKey(k2, inconnue, k1) through another Log = %+v; want k2 then k1, the unknown key skipped", got)
		}
	})
}

// TestSignOutEverywhere: a session opened through A is valid through B,
// and signing out through A ends it through B at once.
func TestSignOutEverywhere(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		a, b := mustOpen(t, database, Options{}), mustOpen(t, database, Options{})
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
		s := StaffSession{IDHash: "abc123", Account: "marie", Role: RoleEdit, Expires: now.Add(time.Hour)}
		if err := a.CreateStaffSession(ctx, s, now); err != nil {
			t.Fatal(err)
		}
		if got, err := b.StaffSession(ctx, "abc123", now); err != nil || got.Account != "marie" {
			t.Fatalf("B.StaffSession of a session opened through A = %+v, %v; want marie's", got, err)
		}
		if err := a.DeleteStaffSession(ctx, "abc123"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.StaffSession(ctx, "abc123", now); !errors.Is(err, ErrNoStaffSession) {
			t.Errorf("B.StaffSession after signing out through A = %v; want ErrNoStaffSession", err)
		}
	})
}

// TestClaimDeliveryOnce: of two Logs claiming one due delivery at once,
// one alone gets it; once the lease is over, it can be claimed again.
func TestClaimDeliveryOnce(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		a, b := mustOpen(t, database, Options{}), mustOpen(t, database, Options{})
		ctx := context.Background()
		r, err := a.AddRequest(ctx, Request{Message: "Rappelez-moi", Status: StatusNew}, true)
		if err != nil {
			t.Fatal(err)
		}
		now := r.Time.Add(time.Second)
		const lease = time.Minute
		for round, at := range []time.Time{now, now.Add(lease + time.Second)} {
			var wg sync.WaitGroup
			claims := make([]bool, 2)
			for i, l := range []*Log{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ok, err := l.ClaimDelivery(ctx, r.ID, 0, at, lease)
					if err != nil {
						t.Errorf("ClaimDelivery: %v", err)
					}
					claims[i] = ok
				}()
			}
			wg.Wait()
			if claims[0] == claims[1] {
				t.Errorf("round %d: claims %v; want exactly one", round, claims)
			}
		}
		due, err := b.DueDeliveries(ctx, now.Add(lease/2), 10)
		if err != nil || len(due) != 0 {
			t.Errorf("DueDeliveries under a lease = %+v, %v; want none", due, err)
		}
	})
}

// TestClaimDeliveryStale: a replica holding a batch read before another
// replica tried the delivery and rescheduled it cannot claim it with the
// count it read, so the count it would write back never goes backwards;
// with the current count, the claim goes through.
func TestClaimDeliveryStale(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		a, b := mustOpen(t, database, Options{}), mustOpen(t, database, Options{})
		ctx := context.Background()
		r, err := a.AddRequest(ctx, Request{Message: "Rappelez-moi", Status: StatusNew}, true)
		if err != nil {
			t.Fatal(err)
		}
		now := r.Time.Add(time.Second)
		stale, err := b.DueDeliveries(ctx, now, 10)
		if err != nil || len(stale) != 1 {
			t.Fatalf("DueDeliveries = %+v, %v; want the request", stale, err)
		}
		const lease = time.Minute
		if ok, err := a.ClaimDelivery(ctx, r.ID, 0, now, lease); !ok || err != nil {
			t.Fatalf("first claim = %v, %v; want true", ok, err)
		}
		retry := now.Add(time.Second) // tried, failed, due again soon
		if err := a.SetDelivery(ctx, r.ID, Delivery{State: DeliveryPending, Attempts: 3, Next: retry}); err != nil {
			t.Fatal(err)
		}
		later := retry.Add(time.Second)
		if ok, err := b.ClaimDelivery(ctx, r.ID, stale[0].Webhook.Attempts, later, lease); ok || err != nil {
			t.Errorf("claim with the stale count %d = %v, %v; want false", stale[0].Webhook.Attempts, ok, err)
		}
		if ok, err := b.ClaimDelivery(ctx, r.ID, 3, later, lease); !ok || err != nil {
			t.Errorf("claim with the current count 3 = %v, %v; want true", ok, err)
		}
	})
}

// TestMigrateConcurrently: Logs opening one new database at once (replicas
// starting together) migrate it once and all come up healthy.
func TestMigrateConcurrently(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		const replicas = 4
		logs := make([]*Log, replicas)
		var wg sync.WaitGroup
		for i := range logs {
			wg.Add(1)
			go func() { defer wg.Done(); logs[i] = Open(database, Options{}) }()
		}
		wg.Wait()
		for i, l := range logs {
			defer l.Close()
			if h := l.Health(); !h.OK {
				t.Errorf("replica %d opening at once: health %+v; want ok", i, h)
			}
		}
		raw := rawDB(t, database)
		tx, err := raw.DB.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		v, err := database.Version(context.Background(), tx)
		tx.Rollback()
		if err != nil || v != Versions {
			t.Errorf("version after concurrent opens = %d, %v; want %d", v, err, Versions)
		}
		// And once more: an up-to-date database is left as it is.
		if err := Migrate(context.Background(), raw, database); err != nil {
			t.Errorf("migrating an up-to-date database: %v", err)
		}
	})
}

// TestFeedbackWhileManyWait: with feedbackWaiters feedbacks already
// looking for their turn, one more still lands on a turn another Log
// wrote, and a key nobody recorded is still refused, after one look.
func TestFeedbackWhileManyWait(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		a, b := mustOpen(t, database, Options{}), mustOpen(t, database, Options{})
		a.Record(Turn{Key: "written", Question: "Qui dirige Mistral ?", Kind: "answer"})
		mustFlush(t, a)
		for range feedbackWaiters {
			b.waiters <- struct{}{} // the others waiting
		}
		defer func() {
			for range feedbackWaiters {
				<-b.waiters
			}
		}()
		if err := b.Feedback("written", "down"); err != nil {
			t.Errorf("B.Feedback on a turn A wrote, many waiting = %v; want nil", err)
		}
		if err := b.Feedback("jamais-vu", "up"); !errors.Is(err, ErrUnknownTurn) {
			t.Errorf("B.Feedback on a key nobody recorded, many waiting = %v; want ErrUnknownTurn", err)
		}
	})
}

// TestAttachOnceAcrossLogs: two replicas attaching one wording to one
// passage at the same moment store it once, whichever reads first.
func TestAttachOnceAcrossLogs(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		a, b := mustOpen(t, database, Options{}), mustOpen(t, database, Options{})
		for round := range 20 {
			fp := fmt.Sprintf("empreinte-%d", round)
			as := []Attachment{{Phrasing: "Qui a fondé la start-up ?", Passage: "mistral-ai#p3", Doc: "mistral-ai", Fingerprint: fp, Excerpt: "…"}}
			var wg sync.WaitGroup
			for _, l := range []*Log{a, b} {
				wg.Go(func() {
					if _, err := l.Attach(context.Background(), as, "test"); err != nil {
						t.Errorf("round %d: Attach = %v", round, err)
					}
				})
			}
			wg.Wait()
			all, err := a.Attachments(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, at := range all {
				if at.Fingerprint == fp {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("round %d: the wording is stored %d times; want once", round, n)
			}
		}
	})
}
