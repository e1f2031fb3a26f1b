package store

import "sync"

// queuedKeys are the keys of the turns a Log has queued and not yet written
// (at most queueSize): a feedback on one of them is queued behind it at
// once, even while the database stalls. Every other turn, recorded by any
// replica or before a restart, is found in the store.
type queuedKeys struct {
	mu   sync.Mutex
	keys map[string]int // key -> turns queued with it
}

// add counts a turn queued with key.
func (q *queuedKeys) add(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.keys == nil {
		q.keys = map[string]int{}
	}
	q.keys[key]++
}

// remove forgets turns written (or failed) with keys.
func (q *queuedKeys) remove(keys []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, k := range keys {
		if q.keys[k]--; q.keys[k] <= 0 {
			delete(q.keys, k)
		}
	}
}

// has reports whether a turn with key waits in the queue.
func (q *queuedKeys) has(key string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.keys[key] > 0
}
