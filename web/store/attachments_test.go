package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestAttachments checks the attached phrasings: stored with who and when
// and the passage's excerpt, a wording already attached to the same passage
// not stored twice, deleted, the stamp changing on every change; and that a
// phrasing without text or passage is refused.
func TestAttachments(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		ctx := context.Background()
		clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		l := mustOpen(t, database, Options{Now: func() time.Time { return clock }})
		stamp := func() string {
			s, err := l.AttachmentsStamp(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		s0 := stamp()
		long := strings.Repeat("Le vélo de ville coûte 300 euros. ", 20)
		at := func(q string) Attachment {
			return Attachment{Phrasing: q, Passage: "velo#p2", Doc: "velo", Fingerprint: "0123456789abcdef", Excerpt: long}
		}
		added, err := l.Attach(ctx, []Attachment{at(" Combien coûte un vélo ? "), at("combien coute un velo"), at("Prix d'un vélo")}, "camille")
		if err != nil {
			t.Fatal(err)
		}
		if len(added) != 2 || added[0].Phrasing != "Combien coûte un vélo ?" || added[0].CreatedBy != "camille" || !added[0].Created.Equal(clock) {
			t.Fatalf("attached %+v; want two (the second wording is the first's), trimmed, by camille at %s", added, clock)
		}
		s1 := stamp()
		if again, err := l.Attach(ctx, []Attachment{at("Combien coûte un vélo ?")}, "dominique"); err != nil || len(again) != 0 {
			t.Errorf("attached again %+v, %v; want nothing stored", again, err)
		}
		all, err := l.Attachments(ctx)
		if err != nil || len(all) != 2 {
			t.Fatalf("attachments %+v, %v; want two", all, err)
		}
		if ex := all[0].Excerpt; len([]rune(ex)) > maxExcerptRunes+2 || !strings.HasPrefix(ex, "Le vélo de ville") || !strings.HasSuffix(ex, "…") {
			t.Errorf("excerpt %q; want the text's start, cut under %d characters", ex, maxExcerptRunes)
		}
		if err := l.DeleteAttachment(ctx, all[0].ID); err != nil {
			t.Fatal(err)
		}
		s2 := stamp()
		if err := l.DeleteAttachment(ctx, all[0].ID); !errors.Is(err, ErrNoAttachment) {
			t.Errorf("deleted twice: %v; want ErrNoAttachment", err)
		}
		if s0 == s1 || s1 == s2 || s0 == s2 {
			t.Errorf("stamps %s, %s, %s; want each change to change it", s0, s1, s2)
		}
		for _, bad := range [][]Attachment{nil, {at("  ")}, {{Phrasing: "Prix ?"}}, {at(strings.Repeat("x", maxPhrasingRunes+1))}} {
			var invalid *InvalidAttachment
			if _, err := l.Attach(ctx, bad, "camille"); !errors.As(err, &invalid) {
				t.Errorf("Attach(%+v): %v; want an InvalidAttachment", bad, err)
			}
		}
	})
}
