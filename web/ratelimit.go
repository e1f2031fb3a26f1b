package web

import (
	"net/netip"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// maxTrackedIPs bounds the memory of every per-address table (the API's
// rate limits, the staff sign-in failures): past it, the address least
// recently seen is forgotten, in constant time. An office or a mobile
// network's worth of visitors fit many times over.
const maxTrackedIPs = 10000

// newLimiter returns a token bucket of burst tokens refilled at perSecond.
func newLimiter(perSecond float64, burst int) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(perSecond), burst)
}

// ipLimiter holds one token bucket per client address, the least recently
// seen forgotten past maxTrackedIPs; it is safe for concurrent use.
type ipLimiter struct {
	perSecond float64
	burst     int
	buckets   *lru.Cache[string, *rate.Limiter]
}

func newIPLimiter(perSecond float64, burst int) *ipLimiter {
	c, err := lru.New[string, *rate.Limiter](maxTrackedIPs)
	if err != nil {
		panic(err) // only for a size <= 0
	}
	return &ipLimiter{perSecond: perSecond, burst: burst, buckets: c}
}

// allow takes a token from ip's bucket. An address forgotten comes back with
// a full bucket, as an idle one would have.
func (l *ipLimiter) allow(ip string) bool {
	key := addressKey(ip)
	b, ok := l.buckets.Get(key)
	if !ok {
		b = newLimiter(l.perSecond, l.burst)
		if prev, found, _ := l.buckets.PeekOrAdd(key, b); found {
			b = prev // another request of the same address got there first
		}
	}
	return b.Allow()
}

// addressKey is the key of an address in per-address tables: the address
// itself for IPv4, its /64 for IPv6, since one subscriber holds a whole /64
// and could otherwise take a fresh key for every request.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}
