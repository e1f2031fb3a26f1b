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

// teamAnswers reads the enabled entries of the team as the document served
// beside the corpus. While the database cannot be read, the last ones read
// stay served (logged), and nothing before the first read.
type teamAnswers struct {
	qlog   *questionlog.Log
	logger *slog.Logger
	last   []*index.Document
}

func (ta *teamAnswers) documents(ctx context.Context) []*index.Document {
	if ta.qlog == nil {
		return nil
	}
	entries, err := ta.qlog.Entries(ctx)
	if err != nil {
		if !errors.Is(err, questionlog.ErrUnavailable) {
			ta.logger.Error("team answers unreadable: the last ones read stay served", "err", err)
		}
		return ta.last
	}
	ta.last = nil
	if d := web.TeamDocument(entries); d != nil {
		ta.last = []*index.Document{d}
	}
	return ta.last
}

// watchEntries asks for a reload (as SIGHUP does) whenever the team's
// answers change from last (a stamp read before the first load read them),
// until ctx ends.
func watchEntries(ctx context.Context, qlog *questionlog.Log, last string, reload chan<- os.Signal, every time.Duration) {
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
