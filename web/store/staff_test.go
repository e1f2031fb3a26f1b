package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestStaffSessionsPurged checks that a session is refused once expired
// and its row deleted when the next session is created.
func TestStaffSessionsPurged(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		path := database
		l := Open(path, Options{})
		defer l.Close()
		ctx := context.Background()
		t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
		old := StaffSession{IDHash: "ancienne", Account: "marie", Role: RoleRead, Expires: t0.Add(time.Hour)}
		if err := l.CreateStaffSession(ctx, old, t0); err != nil {
			t.Fatal(err)
		}
		if s, err := l.StaffSession(ctx, "ancienne", t0.Add(time.Minute)); err != nil || s.Account != "marie" || s.Role != RoleRead {
			t.Fatalf("live session: %+v, %v", s, err)
		}
		if _, err := l.StaffSession(ctx, "ancienne", t0.Add(time.Hour)); !errors.Is(err, ErrNoStaffSession) {
			t.Errorf("session at its expiry: %v; want ErrNoStaffSession", err)
		}
		later := t0.Add(2 * time.Hour)
		if err := l.CreateStaffSession(ctx, StaffSession{IDHash: "neuve", Account: "paul", Role: RoleEdit, Expires: later.Add(time.Hour)}, later); err != nil {
			t.Fatal(err)
		}
		db := rawDB(t, path)
		defer db.Close()
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM staff_sessions WHERE id_hash = 'ancienne'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("expired session rows after a new sign-in: %d (%v); want 0", n, err)
		}
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM staff_sessions`).Scan(&n); err != nil || n != 1 {
			t.Errorf("session rows: %d (%v); want the new one only", n, err)
		}
	})
}

// TestStaffAccountsStore checks the store's own rules: a name taken, an
// unknown name, and the last édition account kept.
func TestStaffAccountsStore(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := Open(database, Options{})
		defer l.Close()
		ctx := context.Background()
		if has, err := l.HasStaffAccounts(ctx); err != nil || has {
			t.Fatalf("a new database has accounts: %v, %v", has, err)
		}
		a := StaffAccount{Name: "marie", Role: RoleEdit, Hash: "$argon2id$..."}
		if err := l.AddStaffAccount(ctx, a, "test"); err != nil {
			t.Fatal(err)
		}
		if err := l.AddStaffAccount(ctx, a, "test"); !errors.Is(err, ErrStaffAccountExists) {
			t.Errorf("adding marie twice: %v; want ErrStaffAccountExists", err)
		}
		if err := l.RemoveStaffAccount(ctx, "marie"); !errors.Is(err, ErrLastEditor) {
			t.Errorf("removing the only édition account: %v; want ErrLastEditor", err)
		}
		if err := l.SetStaffRole(ctx, "marie", RoleRead, "test"); !errors.Is(err, ErrLastEditor) {
			t.Errorf("demoting the only édition account: %v; want ErrLastEditor", err)
		}
		if err := l.SetStaffPassword(ctx, "personne", "h", "test"); !errors.Is(err, ErrNoStaffAccount) {
			t.Errorf("password of an unknown account: %v; want ErrNoStaffAccount", err)
		}
		if err := l.AddStaffAccount(ctx, StaffAccount{Name: "paul", Role: RoleRead, Hash: "h"}, "marie"); err != nil {
			t.Fatal(err)
		}
		if err := l.RemoveStaffAccount(ctx, "paul"); err != nil {
			t.Errorf("removing a lecture account: %v", err)
		}
		got, err := l.StaffAccount(ctx, "marie")
		if err != nil || got.Role != RoleEdit || got.Hash != a.Hash || got.CreatedBy != "test" {
			t.Errorf("StaffAccount(marie): %+v, %v", got, err)
		}
		if _, err := l.StaffAccount(ctx, "paul"); !errors.Is(err, ErrNoStaffAccount) {
			t.Errorf("a removed account: %v; want ErrNoStaffAccount", err)
		}
	})
}

// TestStaffAddEndsTokenSessions checks that adding an account deletes the
// bootstrap token's sessions, and leaves the named accounts' alone.
func TestStaffAddEndsTokenSessions(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := Open(database, Options{})
		defer l.Close()
		ctx := context.Background()
		now := time.Now()
		for _, s := range []StaffSession{
			{IDHash: "jeton", Account: BootstrapAccount, Role: RoleEdit, Expires: now.Add(time.Hour)},
			{IDHash: "paul", Account: "paul", Role: RoleRead, Expires: now.Add(time.Hour)},
		} {
			if err := l.CreateStaffSession(ctx, s, now); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.AddStaffAccount(ctx, StaffAccount{Name: "marie", Role: RoleEdit, Hash: "h"}, BootstrapAccount); err != nil {
			t.Fatal(err)
		}
		if _, err := l.StaffSession(ctx, "jeton", now); !errors.Is(err, ErrNoStaffSession) {
			t.Errorf("the token's session once an account exists: %v; want ErrNoStaffSession", err)
		}
		if _, err := l.StaffSession(ctx, "paul", now); err != nil {
			t.Errorf("a named session after an account is added: %v; want it kept", err)
		}
	})
}

// TestStaffConcurrentDemotions demotes two editors at once, many times:
// one demotion may pass, never both (an editor always remains).
func TestStaffConcurrentDemotions(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := Open(database, Options{})
		defer l.Close()
		ctx := context.Background()
		for _, name := range []string{"marie", "paul"} {
			if err := l.AddStaffAccount(ctx, StaffAccount{Name: name, Role: RoleEdit, Hash: "h"}, "test"); err != nil {
				t.Fatal(err)
			}
		}
		const rounds = 60 // the race showed about once in 20 to 40 rounds
		for round := 0; round < rounds; round++ {
			errs := make(chan error, 2)
			for _, name := range []string{"marie", "paul"} {
				go func() { errs <- l.SetStaffRole(ctx, name, RoleRead, "test") }()
			}
			passed := 0
			for range 2 {
				switch err := <-errs; {
				case err == nil:
					passed++
				case !errors.Is(err, ErrLastEditor):
					t.Fatalf("round %d: demotion: %v; want nil or ErrLastEditor", round, err)
				}
			}
			accounts, err := l.StaffAccounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			editors := 0
			for _, a := range accounts {
				if a.Role == RoleEdit {
					editors++
				}
			}
			if passed != 1 || editors != 1 {
				t.Fatalf("round %d: %d demotions passed, %d editors left; want 1 and 1", round, passed, editors)
			}
			for _, name := range []string{"marie", "paul"} {
				if err := l.SetStaffRole(ctx, name, RoleEdit, "test"); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// TestStaffAccountsFrenchOrder checks that both databases list accented
// names in French order, not by bytes nor by the server's collation.
func TestStaffAccountsFrenchOrder(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		l := Open(database, Options{})
		defer l.Close()
		ctx := context.Background()
		for _, name := range []string{"zoé", "émile", "eric", "elise", "édouard"} {
			if err := l.AddStaffAccount(ctx, StaffAccount{Name: name, Role: RoleEdit, Hash: "h"}, "test"); err != nil {
				t.Fatal(err)
			}
		}
		accounts, err := l.StaffAccounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range accounts {
			got = append(got, a.Name)
		}
		if want := []string{"édouard", "elise", "émile", "eric", "zoé"}; !slices.Equal(got, want) {
			t.Errorf("accounts listed %q; want %q", got, want)
		}
	})
}
