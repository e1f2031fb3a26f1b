package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestRequestsLifecycle: a request is stored with its turns, listed newest
// first, moved along with who did it, and deleted with its address.
func TestRequestsLifecycle(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		ctx := context.Background()
		l := mustOpen(t, database, Options{})
		first, err := l.AddRequest(ctx, Request{Message: "Premier message"}, false)
		if err != nil {
			t.Fatal(err)
		}
		turns := []RequestTurn{{Question: "Qui dirige Mistral ?", Answer: "Arthur Mensch.", Passage: "mistral-ai#p3"}}
		second, err := l.AddRequest(ctx, Request{Message: "Second message", Email: "ana@exemple.fr", Turns: turns}, true)
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.Requests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID {
			t.Fatalf("Requests: %+v; want the second request, then the first", got)
		}
		if g := got[0]; g.Email != "ana@exemple.fr" || g.Status != StatusNew || len(g.Turns) != 1 || g.Turns[0] != turns[0] ||
			g.Webhook.State != DeliveryPending {
			t.Errorf("second request read back as %+v; want its address, status new, its turn and a pending delivery", g)
		}
		if got[1].Webhook.State != DeliveryNone {
			t.Errorf("request sent without a webhook: delivery %q; want none", got[1].Webhook.State)
		}
		moved, err := l.SetRequestStatus(ctx, second.ID, StatusInProgress, "ana")
		if err != nil {
			t.Fatal(err)
		}
		if moved.Status != StatusInProgress || moved.UpdatedBy != "ana" {
			t.Errorf("after SetRequestStatus: %+v; want in_progress by ana", moved)
		}
		if _, err := l.SetRequestStatus(ctx, second.ID, "archived", "ana"); err == nil {
			t.Error("SetRequestStatus archived: no error; want one (new, in_progress or done)")
		}
		if err := l.DeleteRequest(ctx, second.ID); err != nil {
			t.Fatal(err)
		}
		if err := l.DeleteRequest(ctx, second.ID); err != ErrNoRequest {
			t.Errorf("deleting a deleted request: %v; want ErrNoRequest", err)
		}
		var n int
		if err := l.db.Load().QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE email = 'ana@exemple.fr'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("after deleting the request, %d row(s) still hold its address", n)
		}
	})
}

// TestRequestsPurged: the retention of the log takes the requests too.
func TestRequestsPurged(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		now := start
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		path := database
		l := Open(path, Options{Days: 30, Now: clock})
		ctx := context.Background()
		if _, err := l.AddRequest(ctx, Request{Message: "Envoyée le premier novembre", Email: "ana@exemple.fr"}, false); err != nil {
			t.Fatal(err)
		}
		l.Close()
		mu.Lock()
		now = start.Add(31 * 24 * time.Hour)
		mu.Unlock()
		l = mustOpen(t, path, Options{Days: 30, Now: clock}) // opening purges
		if _, err := l.AddRequest(ctx, Request{Message: "Envoyée un mois plus tard"}, false); err != nil {
			t.Fatal(err)
		}
		got, err := l.Requests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Message != "Envoyée un mois plus tard" {
			t.Errorf("after 31 days with --log-days 30, the inbox holds %+v; want only the recent request", got)
		}
	})
}

// TestTurnsByKey: turns are found by the key they were recorded with, in
// the keys' order; a made-up key finds nothing.
func TestTurnsByKey(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := mustOpen(t, database, Options{})
		l.Record(Turn{Key: "t1", Question: "Qui dirige Mistral ?", Kind: "answer", Answer: "Arthur Mensch.", Passage: "mistral-ai#p3"})
		l.Record(Turn{Key: "t2", Question: "Et OpenAI ?", Kind: "no_answer", Previous: "Qui dirige Mistral ?"})
		// No flush: TurnsByKey waits for turns just recorded.
		got, err := l.TurnsByKey(context.Background(), []string{"t2", "inventé", "t1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Question != "Et OpenAI ?" || got[1].Question != "Qui dirige Mistral ?" ||
			got[1].Answer != "Arthur Mensch." || got[1].Passage != "mistral-ai#p3" {
			t.Errorf("TurnsByKey(t2, inventé, t1): %+v; want t2's turn then t1's, nothing for the made-up key", got)
		}
	})
}

// TestDeliveries: a pending delivery is due at once, then as SetDelivery
// says; a delivered one is due no more.
func TestDeliveries(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		ctx := context.Background()
		l := mustOpen(t, database, Options{})
		r, err := l.AddRequest(ctx, Request{Message: "Bonjour"}, true)
		if err != nil {
			t.Fatal(err)
		}
		due, err := l.DueDeliveries(ctx, time.Now(), 10)
		if err != nil || len(due) != 1 || due[0].ID != r.ID {
			t.Fatalf("DueDeliveries after AddRequest: %+v, %v; want the request", due, err)
		}
		later := time.Now().Add(time.Hour)
		if err := l.SetDelivery(ctx, r.ID, Delivery{State: DeliveryPending, Attempts: 1, Next: later, Error: "500"}); err != nil {
			t.Fatal(err)
		}
		if due, _ := l.DueDeliveries(ctx, time.Now(), 10); len(due) != 0 {
			t.Errorf("a delivery put off an hour is due now: %+v", due)
		}
		if next, ok, err := l.NextDelivery(ctx); err != nil || !ok || next.UnixMilli() != later.UnixMilli() {
			t.Errorf("NextDelivery: %v %v %v; want %v", next, ok, err, later)
		}
		if err := l.SetDelivery(ctx, r.ID, Delivery{State: DeliveryDelivered, Attempts: 2}); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := l.NextDelivery(ctx); ok {
			t.Error("NextDelivery after delivery: one pending; want none")
		}
	})
}
