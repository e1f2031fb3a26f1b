package questionlog

import "sync"

// recentTurns remembers the keys of the last feedbackMemory turns recorded,
// and the row id of those written, so that feedback can tell a recent turn
// from an unknown one and find its row. Keys live in memory only.
type recentTurns struct {
	mu    sync.Mutex
	ids   map[string]int64 // key -> row id, 0 until the row is written
	order []string         // keys oldest first, to forget the oldest
}

// add remembers a turn just recorded, forgetting the oldest past
// feedbackMemory.
func (r *recentTurns) add(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids == nil {
		r.ids = map[string]int64{}
	}
	if _, ok := r.ids[key]; ok {
		return
	}
	r.ids[key] = 0
	r.order = append(r.order, key)
	if len(r.order) > feedbackMemory {
		delete(r.ids, r.order[0])
		r.order = r.order[1:]
	}
}

// has reports whether key is a recent turn's.
func (r *recentTurns) has(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.ids[key]
	return ok
}

// written records the row ids of turns just committed, by key; keys
// forgotten meanwhile stay forgotten.
func (r *recentTurns) written(ids map[string]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, id := range ids {
		if _, ok := r.ids[k]; ok {
			r.ids[k] = id
		}
	}
}

// id is the row id of key's turn, or false when the turn is not (or no
// longer) known or its row not written.
func (r *recentTurns) id(key string) (int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.ids[key]
	return id, id != 0
}
