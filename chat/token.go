package chat

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"unicode"
	"unicode/utf8"
)

// SecretBytes is the size of the key New draws when Options.Secret is empty,
// and the least a configured secret should hold.
const SecretBytes = 32

// Context token limits: a token carries the topic of the last turn, no more.
// The visitor hands it back, so each bound is checked before it is believed.
const (
	// maxContextBytes bounds a token, checked before it is decoded: the
	// largest context encodeContext writes, every field at its bound, takes
	// about 1.8 KB (TestEncodeContextBounds).
	maxContextBytes = 2048
	// maxContextStems bounds the topic words carried to the next turn.
	maxContextStems = 12
	// maxContextEntities bounds the stems that named what was asked about.
	maxContextEntities = 12
	// maxStemBytes bounds one stem: the longest French words, accented, fit.
	maxStemBytes = 48
	// maxPassageBytes bounds a passage id, a document's slug and a number:
	// slugs of long file names or of sub-folders (issue 11's ids are paths)
	// fit; a token stays well under maxContextBytes.
	maxPassageBytes = 256
	// macBytes is the length of the truncated HMAC-SHA256 that signs a
	// token: 128 bits cannot be guessed.
	macBytes = 16
)

// macLabel starts what is signed, so that a MAC the same secret makes for
// another purpose never passes for a context token's.
const macLabel = "causette context token v1\n"

// tokenEncoding writes and reads tokens: URL-safe, unpadded, and strict (no
// stray bits), so that one context has exactly one token.
var tokenEncoding = base64.RawURLEncoding.Strict()

// passageIDRe is the form of a passage id: "<doc>#p<paragraph>", the slug in
// lower-case ASCII letters and digits joined by dashes (index.Slug).
var passageIDRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*#p[0-9]+$`)

// encodeContext packs a context into the signed token handed to the caller,
// or "" when it holds no topic: the next turn would have nothing to lean on.
// What decodeContext would refuse is left out: stems past their count or
// out of bounds, a passage the engine does not know, a cue it does not define.
func (e *Engine) encodeContext(c convContext) string {
	c.Topic = boundedStems(c.Topic, maxContextStems)
	c.Entities = boundedStems(c.Entities, maxContextEntities)
	c.Answered = boundedStems(c.Answered, maxContextEntities)
	if !e.knownPassage(c.Passage) || len(c.Passage) > maxPassageBytes || !passageIDRe.MatchString(c.Passage) {
		c.Passage = "" // the topic goes on without it
	}
	if !c.Cue.defined() {
		c.Cue = cueNone
	}
	if len(c.Topic) == 0 {
		return ""
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return ""
	}
	token := e.seal(payload)
	if len(token) > maxContextBytes {
		// Only stems full of characters JSON escapes ("<", "&") get here;
		// the next turn then stands alone, as with any context refused.
		return ""
	}
	return token
}

// decodeContext reads a token. Anything but a context signed with the
// engine's key and within every bound is the empty context, never an error:
// the turn is then answered on its own.
func (e *Engine) decodeContext(token string) convContext {
	payload, ok := e.open(token)
	if !ok {
		return convContext{}
	}
	c, ok := parseContext(payload)
	if !ok {
		return convContext{}
	}
	if !e.knownPassage(c.Passage) {
		// A passage of another corpus (a replica not yet reloaded): the
		// topic still holds, the passage is not favoured.
		c.Passage = ""
	}
	return c
}

// seal signs a payload into a token: base64url(payload || MAC).
func (e *Engine) seal(payload []byte) string {
	raw := append(payload[:len(payload):len(payload)], e.mac(payload)...)
	return tokenEncoding.EncodeToString(raw)
}

// open checks a token's size, then its encoding, then its MAC, and returns
// its payload; ok is false for a token this engine's key did not sign.
func (e *Engine) open(token string) (payload []byte, ok bool) {
	if token == "" || len(token) > maxContextBytes {
		return nil, false
	}
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil || len(raw) < macBytes {
		return nil, false
	}
	payload, sum := raw[:len(raw)-macBytes], raw[len(raw)-macBytes:]
	return payload, hmac.Equal(sum, e.mac(payload))
}

// mac is the truncated HMAC-SHA256 of a payload under the engine's key.
func (e *Engine) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, e.key)
	h.Write([]byte(macLabel))
	h.Write(payload)
	return h.Sum(nil)[:macBytes]
}

// parseContext reads a payload strictly: exactly the JSON encodeContext
// writes (no unknown field, no trailing data, no other spelling of a field),
// and every field within its bounds.
func parseContext(payload []byte) (convContext, bool) {
	var c convContext
	d := json.NewDecoder(bytes.NewReader(payload))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		return convContext{}, false
	}
	if again, err := json.Marshal(c); err != nil || !bytes.Equal(again, payload) {
		return convContext{}, false
	}
	if !c.bounded() {
		return convContext{}, false
	}
	return c, true
}

// bounded reports whether every field of a context is within its bounds:
// a topic of a few valid stems, a few valid entities, a defined cue, and a
// passage, if any, of the form of a passage id.
func (c convContext) bounded() bool {
	if len(c.Topic) == 0 || len(c.Topic) > maxContextStems || len(c.Entities) > maxContextEntities ||
		len(c.Answered) > maxContextEntities {
		return false
	}
	for _, s := range c.Answered {
		if !validStem(s) {
			return false
		}
	}
	for _, s := range c.Topic {
		if !validStem(s) {
			return false
		}
	}
	for _, s := range c.Entities {
		if !validStem(s) {
			return false
		}
	}
	if c.Passage != "" && (len(c.Passage) > maxPassageBytes || !passageIDRe.MatchString(c.Passage)) {
		return false
	}
	return c.Cue.defined()
}

// validStem reports whether s can be a stem: non-empty, bounded, valid
// UTF-8, without control or format characters (nor line separators).
func validStem(s string) bool {
	if s == "" || len(s) > maxStemBytes || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			return false
		}
	}
	return true
}

// boundedStems keeps, in order, the first n valid stems of stems.
func boundedStems(stems []string, n int) []string {
	var out []string
	for _, s := range stems {
		if len(out) == n {
			break
		}
		if validStem(s) {
			out = append(out, s)
		}
	}
	return out
}

// knownPassage reports whether id names a passage of the engine's corpus.
func (e *Engine) knownPassage(id string) bool {
	_, ok := e.ix.Passage(id)
	return ok && id != ""
}
