package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// writer is the one goroutine that writes the database.
type writer struct {
	*Log
	lastOpen     time.Time // last attempt to open the database
	lastPurgeTry time.Time // last purge attempted, by the Log's clock
	lastLog      time.Time // last log line about a failure
	unlogged     int64     // failures since that line
	lastDropLog  time.Time // last log line about drops
	dropsLogged  int64     // drops counted in the log lines so far
}

func (w *writer) run() {
	defer close(w.done)
	tick := time.NewTicker(purgeEvery)
	defer tick.Stop()
	batch := make([]op, 0, maxBatch)
	for {
		select {
		case o, ok := <-w.queue:
			if !ok {
				return
			}
			// o is the oldest operation not yet committed: the age limit
			// of enqueue counts from it.
			w.pending.Store(o.at)
			batch = append(batch[:0], o)
			// Take what else is waiting, up to a barrier: one transaction.
			// Never wait for more: a turn is committed as soon as the
			// commit before it is done.
		collect:
			for len(batch) < maxBatch && batch[len(batch)-1].flushed == nil {
				select {
				case o, ok := <-w.queue:
					if !ok {
						w.write(batch)
						return
					}
					batch = append(batch, o)
				default:
					break collect
				}
			}
			w.write(batch)
			w.logDrops()
		case <-tick.C:
			w.purgeAndCheck()
			w.logDrops()
		}
	}
}

// open opens the database when it is not open, at most every reopenEvery,
// then purges it and checks its integrity.
func (w *writer) open() bool {
	if w.db.Load() != nil {
		return true
	}
	now := w.now()
	if !w.lastOpen.IsZero() && now.Sub(w.lastOpen) < reopenEvery {
		return false
	}
	w.lastOpen = now
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	db, err := connect(ctx, w.source)
	if err != nil {
		w.fail(err, 0)
		return false
	}
	w.db.Store(db)
	w.clearError()
	w.log.Info("question log open", "db", w.source.Name(), "days", w.days)
	w.purge(db)
	w.checkIntegrity(db)
	return true
}

// write commits a batch in one transaction, purges when a purge is due and
// releases the batch's barriers.
func (w *writer) write(batch []op) {
	defer func() {
		for _, o := range batch {
			if o.flushed != nil {
				close(o.flushed)
			}
		}
	}()
	if !w.commitBatch(batch) {
		return
	}
	// A busy log purges between batches too, on the Log's clock: the ticker
	// alone would keep an idle log tidy but follows the wall clock. After
	// the commit, so that a purge never holds turns uncommitted.
	if w.now().Sub(w.lastPurgeTry) >= purgeEvery {
		w.purgeAndCheck()
	}
}

// commitBatch writes the turns and feedback of batch in one transaction,
// counts them written or failed, and reports whether the database is open.
func (w *writer) commitBatch(batch []op) bool {
	defer w.caughtUp()
	defer w.queued.remove(turnKeys(batch)) // written or failed: looked for in the store from now on
	n := 0
	for _, o := range batch {
		if o.flushed == nil {
			n++
		}
	}
	if n == 0 {
		return w.db.Load() != nil
	}
	if !w.open() {
		w.fail(fmt.Errorf("%s: %w", w.source.Name(), ErrUnavailable), int64(n))
		return false
	}
	if err := w.commit(batch); err != nil {
		w.fail(err, int64(n))
		return true
	}
	w.written.Add(int64(n))
	w.clearError()
	return true
}

// caughtUp clears pending once the batch is committed, when nothing else
// waits: a turn queued meanwhile set pending itself, or is taken next and
// sets it. (While turns wait, pending keeps the batch's stamp, older than
// theirs: the age limit errs on the side of dropping.)
func (w *writer) caughtUp() {
	if len(w.queue) == 0 {
		w.pending.Store(0)
	}
}

// commit writes the batch in one transaction. A feedback whose turn is not
// in the store (purged since) changes nothing.
func (w *writer) commit(batch []op) error {
	ctx := context.Background()
	tx, err := w.db.Load().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// Prepared once a batch: preparing each insert again costs more than
	// the insert.
	insert, err := prepareInsert(ctx, tx)
	if err != nil {
		return err
	}
	defer insert.Close()
	for _, o := range batch {
		switch {
		case o.turn != nil:
			if err := insertTurn(ctx, insert, *o.turn); err != nil {
				return err
			}
		case o.feedback != "":
			if _, err := setFeedback(ctx, tx, o.key, o.feedback); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// purgeAndCheck purges the database when it is open; when the purge fails,
// it has the database checked beside the writer (a check reads it all).
func (w *writer) purgeAndCheck() {
	db := w.db.Load()
	if db == nil {
		w.open()
		return
	}
	if !w.purge(db) && !w.checking.Swap(true) {
		w.checks.Add(1)
		go func() {
			defer w.checks.Done()
			defer w.checking.Store(false)
			w.checkIntegrity(db)
		}()
	}
}

// purge deletes the turns past the retention and reports whether it could.
// A failure is counted, kept for Health and logged: turns then outlive the
// retention.
func (w *writer) purge(db *DB) bool {
	if w.noPurge {
		return true
	}
	now := w.now()
	w.lastPurgeTry = now
	n, err := purge(context.Background(), db, now.AddDate(0, 0, -w.days))
	w.errMu.Lock()
	if err != nil {
		w.purgeErr = err.Error()
	} else {
		w.purgeErr, w.lastPurge = "", now
	}
	w.errMu.Unlock()
	if err != nil {
		total := w.purgeFailed.Add(1)
		w.log.Error("question log purge failed", "db", w.source.Name(), "err", err, "days", w.days, "purge_failed", total)
		return false
	}
	if n > 0 {
		w.log.Info("question log purged", "rows", n, "days", w.days)
	}
	return true
}

// checkIntegrity runs PRAGMA quick_check on db and keeps what it found for
// Health; a damaged database is logged.
func (w *writer) checkIntegrity(db *DB) {
	problems, err := w.source.Check(context.Background(), db.DB, integrityLines)
	if err != nil {
		problems = []string{err.Error()}
	}
	reason := strings.Join(problems, "; ")
	w.errMu.Lock()
	was := w.integrity
	w.integrity = reason
	w.errMu.Unlock()
	switch {
	case reason != "":
		w.log.Error("question log damaged", "db", w.source.Name(), "reason", reason)
	case was != "":
		w.log.Info("question log integrity ok", "db", w.source.Name())
	}
}

// logDrops logs the turns and feedback dropped since the last such line, at
// most once every errorLogEvery.
func (w *writer) logDrops() {
	total := w.dropped.Load()
	if total == w.dropsLogged {
		return
	}
	now := w.now()
	if !w.lastDropLog.IsZero() && now.Sub(w.lastDropLog) < errorLogEvery {
		return
	}
	w.log.Warn("question log dropped turns", "db", w.source.Name(), "dropped", total-w.dropsLogged, "dropped_total", total,
		"max_unwritten", maxUnwritten, "queued", len(w.queue))
	w.lastDropLog, w.dropsLogged = now, total
}

// fail counts n failed operations and logs the error, at most once every
// errorLogEvery.
func (w *writer) fail(err error, n int64) {
	w.failed.Add(n)
	w.errMu.Lock()
	w.lastErr = err.Error()
	w.errMu.Unlock()
	w.unlogged += n
	now := w.now()
	if !w.lastLog.IsZero() && now.Sub(w.lastLog) < errorLogEvery {
		return
	}
	w.log.Error("question log write failed", "db", w.source.Name(), "err", err, "failed", w.unlogged, "failed_total", w.failed.Load())
	w.lastLog = now
	w.unlogged = 0
}

func (w *writer) clearError() {
	w.errMu.Lock()
	w.lastErr = ""
	w.errMu.Unlock()
}

// turnKeys are the keys of the turns in batch.
func turnKeys(batch []op) []string {
	var keys []string
	for _, o := range batch {
		if o.turn != nil && o.turn.Key != "" {
			keys = append(keys, o.turn.Key)
		}
	}
	return keys
}
