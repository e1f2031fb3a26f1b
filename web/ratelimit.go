package web

import (
	"sync"
	"time"
)

// maxTrackedIPs bounds the API limiter's memory: past it, idle addresses
// (full buckets) are forgotten.
const maxTrackedIPs = 10000

// bucket is a token bucket: burst tokens at most, refilled at rate a second.
// It is not safe for concurrent use.
type bucket struct {
	tokens float64
	last   time.Time
	rate   float64
	burst  float64
}

func newBucket(rate float64, burst int) bucket {
	return bucket{tokens: float64(burst), rate: rate, burst: float64(burst)}
}

// allow takes a token if one is left at now.
func (b *bucket) allow(now time.Time) bool {
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *bucket) refill(now time.Time) {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
}

// ipLimiter holds one bucket per client address; it is safe for concurrent use.
type ipLimiter struct {
	mu      sync.Mutex
	rate    float64
	burst   int
	buckets map[string]*bucket
}

func newIPLimiter(rate float64, burst int) *ipLimiter {
	return &ipLimiter{rate: rate, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token from ip's bucket.
func (l *ipLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[ip]
	if !ok {
		if len(l.buckets) >= maxTrackedIPs {
			l.forgetIdle(now)
		}
		nb := newBucket(l.rate, l.burst)
		b = &nb
		l.buckets[ip] = b
	}
	return b.allow(now)
}

// forgetIdle drops the buckets that have refilled: their owners are idle.
func (l *ipLimiter) forgetIdle(now time.Time) {
	for ip, b := range l.buckets {
		b.refill(now)
		if b.tokens >= b.burst {
			delete(l.buckets, ip)
		}
	}
}
