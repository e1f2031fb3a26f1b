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
	"github.com/causette/causette/web/store"
)

// entriesPoll is how often serve looks whether the team's answers changed,
// in this process or another one writing to the same database.
const entriesPoll = time.Second

// teamAnswers reads the enabled entries of the team as the document served
// beside the corpus. While the database cannot be read, the last ones read
// stay served (logged), and nothing before the first read.
type teamAnswers struct {
	qlog   *store.Log
	logger *slog.Logger
	last   []*index.Document
	// lastAttached are the phrasings attached to passages last read, kept
	// as last is.
	lastAttached []index.Attachment
}

func (ta *teamAnswers) documents(ctx context.Context) []*index.Document {
	if ta.qlog == nil {
		return nil
	}
	entries, err := ta.qlog.Entries(ctx)
	if err != nil {
		if !errors.Is(err, store.ErrUnavailable) {
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

// attached reads the phrasings staff attached to corpus passages, for
// index.Options.Attached; on a read error the last ones read stay.
func (ta *teamAnswers) attached(ctx context.Context) []index.Attachment {
	if ta.qlog == nil {
		return nil
	}
	list, err := ta.qlog.Attachments(ctx)
	if err != nil {
		if !errors.Is(err, store.ErrUnavailable) {
			ta.logger.Error("attached phrasings unreadable: the last ones read stay applied", "err", err)
		}
		return ta.lastAttached
	}
	ta.lastAttached = web.Attached(list)
	return ta.lastAttached
}

// teamStamp changes whenever the team's answers or the attached phrasings
// do: what serve applies from the database.
func teamStamp(ctx context.Context, qlog *store.Log) (string, error) {
	entries, err := qlog.EntriesStamp(ctx)
	if err != nil {
		return "", err
	}
	attached, err := qlog.AttachmentsStamp(ctx)
	if err != nil {
		return "", err
	}
	return entries + "/" + attached, nil
}

// watchEntries asks for a reload (as SIGHUP does) whenever the team's
// answers or the attached phrasings change from last (a stamp read before
// the first load read them), until ctx ends.
func watchEntries(ctx context.Context, qlog *store.Log, last string, reload chan<- os.Signal, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		stamp, err := teamStamp(ctx, qlog)
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
