package store

import "time"

// Health is the state of the log, for the staff: counters, and what failed
// in the words of SQLite and the system (file paths included). What anyone
// may see is Public.
type Health struct {
	// OK is false while the database cannot be written, its last purge
	// failed, or it was found damaged.
	OK bool `json:"ok"`
	// Open is false while the database cannot be opened (missing or
	// read-only directory, not a database).
	Open bool `json:"open"`
	// Written counts the operations committed since start.
	Written int64 `json:"written"`
	// Queued is how many wait for the writer.
	Queued int `json:"queued"`
	// Dropped counts turns and feedback not logged because the writer was
	// behind (see maxUnwritten), the queue full or the log closed.
	Dropped int64 `json:"dropped"`
	// Failed counts operations whose write failed.
	Failed int64 `json:"failed"`
	// Error is the last failure, "" when the last write succeeded.
	Error string `json:"error,omitempty"`
	// PurgeFailed counts the purges of old turns that failed since start:
	// while they fail, turns outlive the retention.
	PurgeFailed int64 `json:"purge_failed"`
	// PurgeError is the last purge's failure, "" when it succeeded.
	PurgeError string `json:"purge_error,omitempty"`
	// LastPurge is when a purge last succeeded (zero before the first).
	LastPurge time.Time `json:"last_purge,omitzero"`
	// Integrity is what PRAGMA quick_check found wrong with the database,
	// at open or after a failed purge; "" when it was found sound.
	Integrity string `json:"integrity,omitempty"`
}

// The problems PublicHealth names, worst first.
const (
	// ProblemDamaged: the database failed its integrity check.
	ProblemDamaged = "damaged"
	// ProblemUnavailable: the database cannot be opened.
	ProblemUnavailable = "unavailable"
	// ProblemWriteFailed: the last write failed.
	ProblemWriteFailed = "write_failed"
	// ProblemPurgeFailed: the last purge of old turns failed.
	ProblemPurgeFailed = "purge_failed"
)

// PublicHealth is the part of Health anyone may see (GET /healthz): whether
// the log works, a word for what is wrong, and the counters; no file path and
// no error text, which go to the log and the staff.
type PublicHealth struct {
	OK bool `json:"ok"`
	// Problem is "" when OK, else one of the Problem constants.
	Problem     string `json:"problem,omitempty"`
	Written     int64  `json:"written"`
	Queued      int    `json:"queued"`
	Dropped     int64  `json:"dropped"`
	Failed      int64  `json:"failed"`
	PurgeFailed int64  `json:"purge_failed"`
}

// Public is h without its paths and error texts.
func (h Health) Public() PublicHealth {
	p := PublicHealth{OK: h.OK, Written: h.Written, Queued: h.Queued, Dropped: h.Dropped, Failed: h.Failed, PurgeFailed: h.PurgeFailed}
	switch {
	case h.Integrity != "":
		p.Problem = ProblemDamaged
	case !h.Open:
		p.Problem = ProblemUnavailable
	case h.Error != "":
		p.Problem = ProblemWriteFailed
	case h.PurgeError != "":
		p.Problem = ProblemPurgeFailed
	}
	return p
}

// Health reports the writer's counters, its last failures and the
// database's integrity.
func (l *Log) Health() Health {
	l.errMu.Lock()
	h := Health{Error: l.lastErr, PurgeError: l.purgeErr, LastPurge: l.lastPurge, Integrity: l.integrity}
	l.errMu.Unlock()
	h.Open = l.db.Load() != nil
	h.OK = h.Open && h.Error == "" && h.PurgeError == "" && h.Integrity == ""
	h.Written = l.written.Load()
	h.Queued = len(l.queue)
	h.Dropped = l.dropped.Load()
	h.Failed = l.failed.Load()
	h.PurgeFailed = l.purgeFailed.Load()
	return h
}
