package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math"
	"time"

	"github.com/causette/causette/chat"
)

// turnIDBytes is the size of a turn id's randomness: unguessable, so
// feedback cannot be forged for another visitor's turn.
const turnIDBytes = 12

// answer asks the engine and describes the turn. The error is a *chat.Error
// safe to show, or internal.
func (s *Server) answer(question, context, channel string) (TurnRecord, chat.Answer, error) {
	start := time.Now()
	snap := s.current.Load()
	if snap == nil {
		return TurnRecord{}, chat.Answer{}, errNotReady
	}
	a, err := snap.Engine.Ask(question, context)
	if err != nil {
		var ce *chat.Error
		if errors.As(err, &ce) {
			s.log.Info("turn refused", "channel", channel, "code", ce.Code)
		} else {
			s.log.Error("turn failed", "channel", channel, "err", err)
		}
		return TurnRecord{}, chat.Answer{}, err
	}
	rec := TurnRecord{
		ID:         newTurnID(),
		Time:       start,
		Question:   question,
		Kind:       a.Kind,
		Confidence: a.Confidence,
		Latency:    time.Since(start),
		Channel:    channel,
		Answer:     a.Answer,
	}
	if len(a.Citations) > 0 {
		rec.Cited = a.Citations[0].ID
	}
	s.withContact(&a)
	s.metrics.answered(channel, a.Kind, rec.Latency)
	return rec, a, nil
}

// logTurn writes the turn's log line and hands it to OnTurn. The visitor's
// text is logged at debug level only.
func (s *Server) logTurn(rec TurnRecord, conn uint64) {
	attrs := []any{"channel", rec.Channel, "turn", rec.ID, "kind", rec.Kind,
		"confidence", math.Round(rec.Confidence*100) / 100, "cited", rec.Cited,
		"latency", rec.Latency}
	if conn != 0 {
		attrs = append(attrs, "conn", conn)
	}
	s.log.Info("turn", attrs...)
	s.log.Debug("turn question", "turn", rec.ID, "question", rec.Question)
	if s.onTurn != nil {
		s.onTurn(rec)
	}
}

// newTurnID returns a random turn id.
func newTurnID() string { return "t" + randomHex(turnIDBytes) }

// randomHex returns n random bytes in hex: turn ids, staff tokens and staff
// session ids.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// validTurnID reports whether id has the form of newTurnID's ids.
func validTurnID(id string) bool {
	if len(id) != 1+2*turnIDBytes || id[0] != 't' {
		return false
	}
	_, err := hex.DecodeString(id[1:])
	return err == nil
}
