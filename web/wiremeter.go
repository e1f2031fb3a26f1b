package web

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
)

// Frames a message may take. A client may split a message into frames, and
// gorilla reads empty continuation frames one after another without limit:
// 200,000 of them cost a second of CPU for a message of no bytes. The read
// limit bounds a message's payload; this bounds its frames' headers.
const (
	// maxFramesPerMessage is generous: browsers send a message in one
	// frame, and a client that splits never needs more than a few dozen.
	maxFramesPerMessage = 64
	// maxFrameHeader is the largest header of a client frame: 2 bytes, an
	// 8-byte length and a 4-byte mask.
	maxFrameHeader = 14
)

// errTooManyFrames ends a socket whose message came in too many frames.
var errTooManyFrames = errors.New("websocket: message in too many frames")

// wireMeter counts the bytes read from a socket since the last complete
// message (or the last pong to our own ping), and fails the read past its
// budget: the read limit of payload plus maxFramesPerMessage headers.
type wireMeter struct {
	budget int64
	used   atomic.Int64
}

// reset starts counting the next message.
func (m *wireMeter) reset() { m.used.Store(0) }

// meteredConn is a socket's connection, read through its meter.
type meteredConn struct {
	net.Conn
	meter *wireMeter
}

func (c *meteredConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.meter.used.Add(int64(n)) > c.meter.budget {
		return n, errTooManyFrames
	}
	return n, err
}

// meteringWriter hands the upgrader a connection read through meter.
type meteringWriter struct {
	http.ResponseWriter
	meter *wireMeter
}

// Hijack is the upgrader's way to the connection.
func (w *meteringWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	return &meteredConn{Conn: c, meter: w.meter}, brw, nil
}
