package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestFeedbackErrors(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, database Database) {
		path := database
		l := mustOpen(t, path, Options{})
		l.Record(Turn{Key: "k1", Question: "Qui dirige Mistral ?", Kind: "answer"})
		mustFlush(t, l)
		// k2's row is not written yet when its feedback comes: still known.
		release := mustStall(t, path)
		l.Record(Turn{Key: "k2", Question: "Où est le siège ?", Kind: "answer"})
		tests := []struct {
			key, value string
			want       error // nil: accepted; errBadValue: some other error
		}{
			{"k1", "up", nil},
			{"k2", "down", nil},
			{"t0123456789abcdef", "down", ErrUnknownTurn},
			{"", "up", ErrUnknownTurn},
			{"k1", "bof", errBadValue},
		}
		for _, tt := range tests {
			err := l.Feedback(tt.key, tt.value)
			switch {
			case tt.want == errBadValue:
				if err == nil || errors.Is(err, ErrUnknownTurn) || errors.Is(err, ErrDropped) {
					t.Errorf("Feedback(%q, %q) = %v; want an error about the value", tt.key, tt.value, err)
				}
			case !errors.Is(err, tt.want):
				t.Errorf("Feedback(%q, %q) = %v; want %v", tt.key, tt.value, err, tt.want)
			}
		}
		release()
		mustFlush(t, l)
		all, err := l.Recent(context.Background(), time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range all {
			want := map[string]string{"Qui dirige Mistral ?": "up", "Où est le siège ?": "down"}[tr.Question]
			if tr.Feedback != want {
				t.Errorf("turn %q feedback %q; want %q", tr.Question, tr.Feedback, want)
			}
		}
		l.Close()
		if err := l.Feedback("k1", "down"); !errors.Is(err, ErrDropped) {
			t.Errorf("Feedback after Close = %v; want %v", err, ErrDropped)
		}
	})
}

// errBadValue stands for "an error other than ErrUnknownTurn and ErrDropped"
// in TestFeedbackErrors.
var errBadValue = errors.New("bad value")
