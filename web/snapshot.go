package web

import (
	"sync/atomic"
	"time"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
)

// Snapshot is one corpus in service: its index and the engine over it,
// built together and swapped whole. A snapshot never changes once stored.
type Snapshot struct {
	Index  *index.Index
	Engine *chat.Engine
	// Version names the corpus served (a fingerprint, or a count of loads);
	// /healthz shows it.
	Version string
	// Loaded is when the snapshot went into service.
	Loaded time.Time
}

// ReloadOutcome is how the last attempt to load a new snapshot went.
type ReloadOutcome struct {
	Time time.Time `json:"time"`
	OK   bool      `json:"ok"`
	// Error says why the corpus could not be loaded (the old snapshot
	// stays in service). It names a corpus file: the log and the staff's
	// health view show it, the public /healthz does not.
	Error string `json:"-"`
	// Took is how long the load took.
	Took time.Duration `json:"took_ns"`
}

// Current holds the snapshot in service, shared by the Server and the staff
// console. Store swaps it atomically: a request that began on the old
// snapshot finishes on it, the next one takes the new one; nothing waits.
type Current struct {
	snap   atomic.Pointer[Snapshot]
	reload atomic.Pointer[ReloadOutcome]
	// reloads counts the loads tried since start, and failed those that
	// failed, for /metrics.
	reloads, failed atomic.Int64
}

// NewCurrent returns a holder with snap in service (nil: none yet, the
// server is not ready).
func NewCurrent(snap *Snapshot) *Current {
	c := &Current{}
	if snap != nil {
		c.Store(snap)
	}
	return c
}

// Load returns the snapshot in service, nil before the first.
func (c *Current) Load() *Snapshot { return c.snap.Load() }

// Store puts snap in service.
func (c *Current) Store(snap *Snapshot) {
	if snap.Loaded.IsZero() {
		snap.Loaded = time.Now()
	}
	c.snap.Store(snap)
}

// Reloaded records the outcome of a load, for /healthz.
func (c *Current) Reloaded(o ReloadOutcome) {
	c.reloads.Add(1)
	if !o.OK {
		c.failed.Add(1)
	}
	c.reload.Store(&o)
}

// LastReload is the outcome of the last load, nil when none was tried.
func (c *Current) LastReload() *ReloadOutcome { return c.reload.Load() }
