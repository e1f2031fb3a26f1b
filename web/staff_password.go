package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Parameters of the staff passwords' argon2id hashes: OWASP's first
// recommendation (Password Storage Cheat Sheet), m=19 MiB, t=2, p=1. On
// the 2-core server Causette is sized for, one hash takes some 30 ms
// (BenchmarkStaffPasswordHash: 32 ms on the development machine) and
// 19 MiB: slow enough that a stolen database costs an attacker dearly per
// guess, fast enough for a sign-in. Each hash stores its own parameters
// (PHC string), so raising them later leaves the old hashes readable.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	// argonSaltBytes is the salt's size: 128 bits, as RFC 9106 recommends.
	argonSaltBytes = 16
	// argonKeyBytes is the hash's size: 256 bits.
	argonKeyBytes = 32
	// maxHashing bounds the hashes computed at once: a burst of sign-ins
	// waits its turn instead of taking 19 MiB each (two at once: one a core).
	maxHashing = 2
	// maxArgonMemoryKiB bounds the memory a stored hash may ask for when it
	// is checked: a hash written into the database by hand cannot make a
	// sign-in take the server's memory.
	maxArgonMemoryKiB = 256 * 1024
)

// hashSlots is the semaphore of maxHashing.
var hashSlots = make(chan struct{}, maxHashing)

// errBadHash is returned for a stored hash that is not an argon2id PHC string.
var errBadHash = errors.New("web: staff password hash is not an argon2id PHC string")

// argonParams are a hash's parameters.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

// defaultArgon are the parameters of new hashes.
var defaultArgon = argonParams{memory: argonMemoryKiB, time: argonTime, threads: argonThreads}

// HashStaffPassword hashes password with argon2id and a random salt into a
// PHC string: $argon2id$v=19$m=19456,t=2,p=1$salt$hash.
func HashStaffPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, argonSaltBytes)
	rand.Read(salt) // never fails (crypto/rand)
	key, err := argonKey(ctx, password, salt, defaultArgon, argonKeyBytes)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		defaultArgon.memory, defaultArgon.time, defaultArgon.threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkStaffPassword reports whether password matches the PHC string
// stored, in constant time.
func checkStaffPassword(ctx context.Context, password, stored string) (bool, error) {
	p, salt, want, err := parseArgonHash(stored)
	if err != nil {
		return false, err
	}
	got, err := argonKey(ctx, password, salt, p, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// argonKey computes an argon2id key once a slot of hashSlots is free; it
// gives up when ctx ends first (the visitor left).
func argonKey(ctx context.Context, password string, salt []byte, p argonParams, size uint32) ([]byte, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, size), nil
}

// parseArgonHash reads a PHC string of HashStaffPassword.
func parseArgonHash(s string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 ||
		p.memory == 0 || p.memory > maxArgonMemoryKiB || p.time == 0 || p.time > 16 || p.threads == 0 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// dummyHash is checked against for an unknown account name, so that it
// costs the same time as a wrong password: the time of a sign-in does not
// tell which names exist.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashStaffPassword(context.Background(), randomHex(staffTokenBytes))
	return h
})
