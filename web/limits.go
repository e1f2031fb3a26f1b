package web

import "time"

// Default limits. Each is also a flag of `causette serve`; a zero field of
// Limits takes its default.
const (
	// DefaultMaxConns caps open sockets in total: each costs two goroutines
	// and a few KiB of buffers, so thousands fit in a small machine.
	DefaultMaxConns = 2000
	// DefaultMaxConnsPerIP caps sockets from one address: a visitor opens one
	// or two tabs; a NAT of an office a few dozen.
	DefaultMaxConnsPerIP = 32
	// DefaultRateBurst is how many messages a socket may send at once before
	// the steady rate applies: a few quick clicks on suggestion chips.
	DefaultRateBurst = 5
	// DefaultRatePerSecond is the steady rate of messages per socket: one
	// question a second is faster than anyone types.
	DefaultRatePerSecond = 1.0
	// DefaultReadLimit is the largest WebSocket frame read, in bytes. It is
	// well above a question of chat.MaxQuestionRunes (up to 4 bytes each, plus
	// the JSON around it) so a too-long question gets a too_long error; a
	// frame above it closes the socket (1009), as the protocol requires.
	DefaultReadLimit = 16 << 10
	// DefaultSendBuffer is how many messages wait for a slow reader before it
	// is dropped: a socket has at most one answer in flight plus errors.
	DefaultSendBuffer = 16
	// DefaultWriteWait bounds one write to a socket: loopback or a phone on
	// 3G sends an answer of a few KiB well within it.
	DefaultWriteWait = 10 * time.Second
	// DefaultPongWait is how long a socket may stay silent (no pong, no
	// message) before it is closed as dead.
	DefaultPongWait = 60 * time.Second
	// DefaultShutdownWait bounds the wait for sockets and requests to finish
	// on shutdown: long enough for close frames, short for a restart.
	DefaultShutdownWait = 5 * time.Second
	// DefaultMaxBody is the largest POST /api/ask body, in bytes: the same
	// room as a WebSocket frame.
	DefaultMaxBody = DefaultReadLimit
	// DefaultAPIRatePerSecond and DefaultAPIRateBurst limit POST /api/ask and
	// GET /api/search per client address: an integration asking for a person
	// needs little; a scraper gets 429.
	DefaultAPIRatePerSecond = 5.0
	DefaultAPIRateBurst     = 20
	// DefaultMaxConnsPerAddr caps the TCP connections open at once from one
	// address, sockets included: a browser opens six or so per site, an
	// office behind one NAT a few dozen browsers; a flood of idle or slow
	// connections from one address is held to this many.
	DefaultMaxConnsPerAddr = 128
)

// pingPeriod is how often the writer pings: twice per pongWait, so a live
// client's pong re-arms the read deadline with half a pongWait to spare (a
// busy machine, a phone on a slow network), and one lost ping is forgiven.
func pingPeriod(pongWait time.Duration) time.Duration { return pongWait / 2 }

// Limits bound what visitors can cost the server.
type Limits struct {
	MaxConns         int
	MaxConnsPerIP    int
	RateBurst        int
	RatePerSecond    float64
	ReadLimit        int64
	SendBuffer       int
	WriteWait        time.Duration
	PongWait         time.Duration
	ShutdownWait     time.Duration
	MaxBody          int64
	APIRatePerSecond float64
	APIRateBurst     int
	MaxConnsPerAddr  int
}

// DefaultLimits returns the limits used for zero fields.
func DefaultLimits() Limits {
	return Limits{
		MaxConns:         DefaultMaxConns,
		MaxConnsPerIP:    DefaultMaxConnsPerIP,
		RateBurst:        DefaultRateBurst,
		RatePerSecond:    DefaultRatePerSecond,
		ReadLimit:        DefaultReadLimit,
		SendBuffer:       DefaultSendBuffer,
		WriteWait:        DefaultWriteWait,
		PongWait:         DefaultPongWait,
		ShutdownWait:     DefaultShutdownWait,
		MaxBody:          DefaultMaxBody,
		APIRatePerSecond: DefaultAPIRatePerSecond,
		APIRateBurst:     DefaultAPIRateBurst,
		MaxConnsPerAddr:  DefaultMaxConnsPerAddr,
	}
}

// withDefaults fills zero fields with the defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.MaxConns, d.MaxConns)
	orDefault(&l.MaxConnsPerIP, d.MaxConnsPerIP)
	orDefault(&l.RateBurst, d.RateBurst)
	orDefault(&l.RatePerSecond, d.RatePerSecond)
	orDefault(&l.ReadLimit, d.ReadLimit)
	orDefault(&l.SendBuffer, d.SendBuffer)
	orDefault(&l.WriteWait, d.WriteWait)
	orDefault(&l.PongWait, d.PongWait)
	orDefault(&l.ShutdownWait, d.ShutdownWait)
	orDefault(&l.MaxBody, d.MaxBody)
	orDefault(&l.APIRatePerSecond, d.APIRatePerSecond)
	orDefault(&l.APIRateBurst, d.APIRateBurst)
	orDefault(&l.MaxConnsPerAddr, d.MaxConnsPerAddr)
	return l
}

// orDefault sets *v to def when *v is zero or less.
func orDefault[T int | int64 | float64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}
