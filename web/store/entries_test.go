package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestEntries checks the team's answers: added, edited with the version
// replaced kept and who made each change, disabled, deleted with a last
// version saying who deleted it, and the stamp changing on every change;
// and that an entry without its question or answer is refused.
func TestEntries(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		ctx := context.Background()
		clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		l := mustOpen(t, database, Options{Now: func() time.Time { return clock }})
		stamp := func() string {
			s, err := l.EntriesStamp(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		s0 := stamp()
		e, err := l.SaveEntry(ctx, Entry{Question: "Où garer son vélo ?", Alternates: []string{"parking vélo", "stationner un vélo"},
			Answer: "Devant la mairie.", Link: "https://mairie.example.fr/velo", Enabled: true}, "camille")
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.Version != 1 || e.CreatedBy != "camille" {
			t.Errorf("added %+v; want an id, version 1, by camille", e)
		}
		s1 := stamp()
		clock = clock.Add(time.Hour)
		e.Answer, e.Enabled = "Au parking de la gare.", false
		if e, err = l.SaveEntry(ctx, e, "dominique"); err != nil {
			t.Fatal(err)
		}
		s2 := stamp()
		all, err := l.Entries(ctx)
		if err != nil || len(all) != 1 {
			t.Fatalf("entries %+v, %v; want one", all, err)
		}
		got := all[0]
		if got.Answer != "Au parking de la gare." || got.Enabled || got.Version != 2 || got.CreatedBy != "camille" ||
			got.UpdatedBy != "dominique" || !got.Updated.Equal(clock) || strings.Join(got.Alternates, "|") != "parking vélo|stationner un vélo" {
			t.Errorf("edited entry %+v", got)
		}
		versions, err := l.EntryVersions(ctx, e.ID)
		if err != nil || len(versions) != 1 || versions[0].Answer != "Devant la mairie." || versions[0].UpdatedBy != "camille" || !versions[0].Enabled {
			t.Errorf("versions %+v, %v; want the first one, by camille", versions, err)
		}
		if err := l.DeleteEntry(ctx, e.ID, "dominique"); err != nil {
			t.Fatal(err)
		}
		s3 := stamp()
		if all, _ := l.Entries(ctx); len(all) != 0 {
			t.Errorf("after deleting: %+v", all)
		}
		versions, _ = l.EntryVersions(ctx, e.ID)
		if len(versions) != 3 || versions[2].Question != "" || versions[2].UpdatedBy != "dominique" {
			t.Errorf("versions after deleting %+v; want both versions and the deletion by dominique", versions)
		}
		if s0 == s1 || s1 == s2 || s2 == s3 {
			t.Errorf("stamps %s %s %s %s; want each change to change it", s0, s1, s2, s3)
		}
		if err := l.DeleteEntry(ctx, e.ID, "x"); !errors.Is(err, ErrNoEntry) {
			t.Errorf("deleting it again: %v; want ErrNoEntry", err)
		}
		if _, err := l.SaveEntry(ctx, Entry{ID: 999, Question: "Q ?", Answer: "R."}, "x"); !errors.Is(err, ErrNoEntry) {
			t.Errorf("editing an unknown entry: %v; want ErrNoEntry", err)
		}
		for _, bad := range []Entry{{Answer: "Sans question."}, {Question: "Sans réponse ?"}, {Question: strings.Repeat("q", 501), Answer: "r"}} {
			if _, err := l.SaveEntry(ctx, bad, "x"); err == nil {
				t.Errorf("%+v saved; want it refused", bad)
			}
		}
		// A deleted entry's id is never given again: its versions and the
		// turns that cited it stay its own.
		next, err := l.SaveEntry(ctx, Entry{Question: "Où nager ?", Answer: "À la piscine.", Enabled: true}, "x")
		if err != nil || next.ID == e.ID {
			t.Fatalf("after deleting entry %d, the next is %+v, %v; want a new id", e.ID, next, err)
		}
		next.Answer = "À la piscine municipale."
		if _, err := l.SaveEntry(ctx, next, "x"); err != nil {
			t.Errorf("editing the next entry: %v", err)
		}
		// A change made on a version someone else replaced meanwhile is
		// refused; one made on the current version is taken.
		cur, _ := l.Entries(ctx)
		stale := cur[0]
		stale.Version = cur[0].Version - 1
		if _, err := l.SaveEntry(ctx, stale, "x"); !errors.Is(err, ErrEntryChanged) {
			t.Errorf("saving on version %d of an entry at %d: %v; want ErrEntryChanged", stale.Version, cur[0].Version, err)
		}
		if _, err := l.SaveEntry(ctx, cur[0], "x"); err != nil {
			t.Errorf("saving on the current version: %v", err)
		}
	})
}
