package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"syscall"
	"time"

	"github.com/causette/causette/index"
	"github.com/causette/causette/web"
	"github.com/causette/causette/web/questionlog"
)

// entriesPoll is how often serve looks whether the team's answers changed,
// in this process or another one writing to the same database.
const entriesPoll = time.Second

// teamAnswers are the enabled entries of the team as the document served
// beside the corpus; none while the database cannot be read (logged: the
// corpus is served without them).
func teamAnswers(ctx context.Context, qlog *questionlog.Log, logger *slog.Logger) []*index.Document {
	if qlog == nil {
		return nil
	}
	entries, err := qlog.Entries(ctx)
	if err != nil {
		if !errors.Is(err, questionlog.ErrUnavailable) {
			logger.Error("team answers unreadable: served without them", "err", err)
		}
		return nil
	}
	if d := web.TeamDocument(entries); d != nil {
		return []*index.Document{d}
	}
	return nil
}

// watchEntries asks for a reload (as SIGHUP does) whenever the team's
// answers change, until ctx ends.
func watchEntries(ctx context.Context, qlog *questionlog.Log, reload chan<- os.Signal, every time.Duration) {
	last, _ := qlog.EntriesStamp(ctx)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		stamp, err := qlog.EntriesStamp(ctx)
		if err != nil || stamp == last {
			continue
		}
		last = stamp
		select {
		case reload <- syscall.SIGHUP:
		default: // a reload is already asked for
		}
	}
}
