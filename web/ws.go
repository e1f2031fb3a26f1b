package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"
)

// Socket constants that are not visitor limits.
const (
	// closeGrace is how long the writer waits for the client's reply to a
	// close frame before it drops the connection.
	closeGrace = time.Second
	// maxTurnsRemembered bounds the per-socket map from message ids to turn
	// ids used by feedback: a conversation rarely has a hundred turns.
	maxTurnsRemembered = 256
	// maxMessageID bounds a client message id: it is echoed back and logged.
	maxMessageID = 64
	// socketBufferSize is the upgrader's read and write buffer: an answer
	// of a few KiB fits in one or two writes.
	socketBufferSize = 4096
	// socketRetryAfter is what a client refused for capacity is told to
	// wait: sockets free up as visitors leave, and a few seconds spare the
	// server a storm of immediate retries.
	socketRetryAfter = 5 * time.Second
	// pingNonceBytes is the randomness of a ping's payload: enough that a
	// client cannot answer a ping it has not seen.
	pingNonceBytes = 8
)

// Close reasons sent to clients.
const (
	closeGoingAway = "Le serveur redémarre : reconnexion dans un instant."
	closeInternal  = "Erreur interne : reconnexion dans un instant."
	closeFragments = "Message en trop de morceaux : envoyez-le d’un seul tenant."
)

// closeFrame is a close message for the writer to send.
type closeFrame struct {
	code int
	text string
	// waitReply makes the writer wait for the client's close reply (the
	// reader still runs); a socket whose reader has failed does not wait.
	waitReply bool
}

var (
	goingAway     = closeFrame{websocket.CloseGoingAway, closeGoingAway, true}
	internalError = closeFrame{websocket.CloseInternalServerErr, closeInternal, false}
	tooManyFrames = closeFrame{websocket.CloseMessageTooBig, closeFragments, false}
)

var upgrader = websocket.Upgrader{
	// A read buffer of its own: with none, gorilla would read through the
	// hijacked bufio.Reader, around the wire meter (wiremeter.go).
	ReadBufferSize:  socketBufferSize,
	WriteBufferSize: socketBufferSize,
	// Write buffers are lent for a write and given back: thousands of idle
	// sockets hold none, and the garbage collector has less to scan.
	WriteBufferPool: &sync.Pool{},
	// The origin is checked by handleWS before the upgrade.
	CheckOrigin: func(*http.Request) bool { return true },
}

// connSeq numbers sockets for the log.
var connSeq atomic.Uint64

// conn is one visitor's socket: a reader (the handler's goroutine) and a
// writer goroutine; only the writer writes.
type conn struct {
	s *Server
	// lastQuestion is the question last answered on this socket, kept with
	// the next turn of the conversation (TurnRecord.Previous).
	lastQuestion string
	ws           *websocket.Conn
	ip           string
	id           uint64
	send         chan []byte
	quit         chan struct{} // closed to stop the writer
	away         chan struct{} // closed to send closing, then close the socket
	closing      closeFrame    // set before away is closed
	done         chan struct{} // closed when the writer has returned
	stopMu       sync.Once
	awayMu       sync.Once
	dropMu       sync.Once // the slow-client drop is logged once
	limiter      *rate.Limiter
	meter        *wireMeter
	ping         atomic.Value      // string: the payload of the last ping sent
	turns        map[string]string // client message id -> turn id
	order        []string          // client message ids, oldest first
}

// handleWS upgrades to a WebSocket and runs the conversation.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	if !s.AllowedOrigin(r) {
		s.log.Warn("socket refused", "reason", "origin", "origin", r.Header.Get("Origin"))
		http.Error(w, "Origine non autorisée.", http.StatusForbidden)
		return
	}
	if s.current.Load() == nil {
		// Still loading the first corpus: the page retries with backoff and
		// gets a real greeting once the corpus is in service.
		w.Header().Set("Retry-After", seconds(readyRetryAfter))
		http.Error(w, errNotReady.Message, http.StatusServiceUnavailable)
		return
	}
	ip := addressKey(s.visitorIP(r))
	if code := s.hub.reserve(ip); code != 0 {
		s.log.Warn("socket refused", "reason", "capacity", "status", code)
		s.metrics.limit(socketLimit(code))
		w.Header().Set("Retry-After", seconds(socketRetryAfter))
		http.Error(w, "Trop de connexions : réessayez dans un instant.", code)
		return
	}
	meter := &wireMeter{budget: s.limits.ReadLimit + maxFramesPerMessage*maxFrameHeader}
	ws, err := upgrader.Upgrade(&meteringWriter{ResponseWriter: w, meter: meter}, r, nil)
	if err != nil {
		s.hub.release(ip) // the upgrader has answered the client
		return
	}
	c := &conn{
		s:       s,
		ws:      ws,
		ip:      ip,
		id:      connSeq.Add(1),
		send:    make(chan []byte, s.limits.SendBuffer),
		quit:    make(chan struct{}),
		away:    make(chan struct{}),
		done:    make(chan struct{}),
		limiter: newLimiter(s.limits.RatePerSecond, s.limits.RateBurst),
		meter:   meter,
		turns:   map[string]string{},
	}
	if !s.hub.register(c) {
		ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, closeGoingAway),
			time.Now().Add(s.limits.WriteWait))
		ws.Close()
		s.hub.release(ip)
		return
	}
	defer s.hub.unregister(c)
	go c.writeLoop()
	defer func() {
		// A panic while serving this visitor ends this socket only: one log
		// line, close 1011, and the slot is released (unregister above).
		if v := recover(); v != nil {
			s.logPanic(v, "channel", "ws", "conn", c.id)
			c.closeWith(internalError)
		}
		c.stop()
		<-c.done
	}()
	c.queue(s.hello())
	c.readLoop()
}

// hello greets a new socket, from the snapshot in service (handleWS opens
// none before there is one, and a snapshot is never taken back).
func (s *Server) hello() helloMsg {
	snap := s.current.Load()
	return helloMsg{Type: "hello", Greeting: snap.Engine.Greeting(), Suggestions: snap.Engine.Starters(), Contact: s.contact}
}

// stop makes the writer close the socket.
func (c *conn) stop() { c.stopMu.Do(func() { close(c.quit) }) }

// goAway makes the writer send close 1001 and close the socket.
func (c *conn) goAway() { c.closeWith(goingAway) }

// closeWith makes the writer send f and close the socket; the first call wins.
func (c *conn) closeWith(f closeFrame) {
	c.awayMu.Do(func() {
		c.closing = f
		close(c.away)
	})
}

// queue hands a message to the writer; a client too slow to drain its
// queue is dropped, never waited on.
func (c *conn) queue(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		c.s.log.Error("encode message", "conn", c.id, "err", err)
		return
	}
	select {
	case c.send <- data:
	default:
		// Once: the messages queued after the drop would each say it again.
		c.dropMu.Do(func() { c.s.log.Warn("slow client dropped", "conn", c.id) })
		c.stop()
	}
}

// writeLoop is the only goroutine writing to the socket.
func (c *conn) writeLoop() {
	l := c.s.limits
	ticker := time.NewTicker(pingPeriod(l.PongWait))
	defer func() {
		if v := recover(); v != nil {
			c.s.logPanic(v, "channel", "ws", "conn", c.id, "in", "writer")
		}
		ticker.Stop()
		c.ws.Close()
		close(c.done)
	}()
	for {
		select {
		case msg := <-c.send:
			c.ws.SetWriteDeadline(time.Now().Add(l.WriteWait))
			if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-ticker.C:
			// A fresh payload a ping: only the pong to it may reset the meter.
			nonce := randomHex(pingNonceBytes)
			c.ping.Store(nonce)
			c.ws.SetWriteDeadline(time.Now().Add(l.WriteWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, []byte(nonce)); err != nil {
				return
			}
		case <-c.away:
			if err := c.writeClose(); err != nil || !c.closing.waitReply {
				return
			}
			// Wait for the client's close reply (the reader then stops us).
			t := time.NewTimer(closeGrace)
			defer t.Stop()
			select {
			case <-c.quit:
			case <-t.C:
			}
			return
		case <-c.quit:
			select {
			case <-c.away: // asked for both: the close frame still goes out
				c.writeClose()
			default:
			}
			return
		}
	}
}

// writeClose sends the close frame asked for by closeWith.
func (c *conn) writeClose() error {
	c.ws.SetWriteDeadline(time.Now().Add(c.s.limits.WriteWait))
	msg := websocket.FormatCloseMessage(c.closing.code, c.closing.text)
	return c.ws.WriteMessage(websocket.CloseMessage, msg)
}

// readLoop reads and answers messages until the socket fails or closes.
func (c *conn) readLoop() {
	l := c.s.limits
	c.ws.SetReadLimit(l.ReadLimit)
	c.ws.SetReadDeadline(time.Now().Add(l.PongWait))
	c.ws.SetPongHandler(func(data string) error {
		if want, _ := c.ping.Load().(string); want != "" && data == want {
			c.meter.reset() // an idle visitor's pongs do not add up
		}
		return c.ws.SetReadDeadline(time.Now().Add(l.PongWait))
	})
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.s.log.Warn("socket closed", "conn", c.id, "reason", "frame too large")
			} else if errors.Is(err, errTooManyFrames) {
				c.s.log.Warn("socket closed", "conn", c.id, "reason", "message in too many frames")
				c.closeWith(tooManyFrames)
			} else if websocket.IsUnexpectedCloseError(err, websocket.CloseGoingAway, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
				c.s.log.Debug("socket closed", "conn", c.id, "err", err)
			}
			return
		}
		c.meter.reset()
		c.ws.SetReadDeadline(time.Now().Add(l.PongWait))
		c.handle(typ, data)
	}
}

// handle answers one client message.
func (c *conn) handle(typ int, data []byte) {
	if !c.limiter.Allow() {
		c.s.metrics.limit(limitMessages)
		c.queue(c.s.refuse(peekID(data), errRateLimited))
		return
	}
	m, err := parseClientMsg(typ, data)
	if err != nil {
		c.queue(c.s.refuse(m.ID, err))
		return
	}
	switch m.Type {
	case "ask":
		c.ask(m)
	case "feedback":
		c.feedback(m)
	}
}

// parseClientMsg reads a client frame. The error is a *chat.Error safe to
// show; with it, the message holds the id to echo when one could be read.
func parseClientMsg(typ int, data []byte) (clientMsg, error) {
	if typ != websocket.TextMessage {
		return clientMsg{}, errBinary
	}
	if !utf8.Valid(data) {
		return clientMsg{}, errInvalidText
	}
	var m clientMsg
	if err := json.Unmarshal(data, &m); err != nil {
		return clientMsg{}, errBadJSON
	}
	if len(m.ID) > maxMessageID {
		return clientMsg{}, errBadID
	}
	if m.Type != "ask" && m.Type != "feedback" {
		return clientMsg{ID: m.ID}, errUnknownType
	}
	return m, nil
}

// ask answers a question and records the turn.
func (c *conn) ask(m clientMsg) {
	rec, a, err := c.s.answer(m.Text, m.Context, "ws")
	if err != nil {
		c.queue(c.s.refuse(m.ID, err))
		return
	}
	if m.Context != "" {
		rec.Previous = c.lastQuestion // a follow-up: what it follows
	}
	c.lastQuestion = m.Text
	c.s.logTurn(rec, c.id) // before the answer leaves: feedback on it may come at once
	c.remember(m.ID, rec.ID)
	c.queue(answerMsg{Type: "answer", ID: m.ID, Turn: rec.ID, Answer: a})
}

// remember maps a client message id to its turn, for feedback.
func (c *conn) remember(msgID, turnID string) {
	if msgID == "" {
		return
	}
	if _, ok := c.turns[msgID]; !ok {
		c.order = append(c.order, msgID)
	}
	c.turns[msgID] = turnID
	if len(c.order) > maxTurnsRemembered {
		delete(c.turns, c.order[0])
		c.order = c.order[1:]
	}
}

// feedback passes a visitor's rating of an answer to OnFeedback.
func (c *conn) feedback(m clientMsg) {
	if m.Value != "up" && m.Value != "down" {
		c.queue(c.s.refuse(m.ID, errBadFeedback))
		return
	}
	turn := c.turns[m.ID]
	if turn == "" && validTurnID(m.Turn) {
		turn = m.Turn // an answer from before a reconnection
	}
	if turn == "" {
		c.queue(c.s.refuse(m.ID, errUnknownID))
		return
	}
	if c.s.onFeed != nil && !c.s.onFeed(turn, m.Value) {
		c.queue(c.s.refuse(m.ID, errUnknownTurn))
		return
	}
	c.s.log.Info("feedback", "conn", c.id, "turn", turn, "value", m.Value)
}

// peekID returns the id of a message, when it can be read.
func peekID(data []byte) string {
	var m struct {
		ID string `json:"id"`
	}
	if !utf8.Valid(data) || json.Unmarshal(data, &m) != nil || len(m.ID) > maxMessageID {
		return ""
	}
	return m.ID
}
