package web

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
)

// TestStaffPasswordHash checks the PHC string: its own salt, the
// parameters it was made with, and a check that tells right from wrong.
func TestStaffPasswordHash(t *testing.T) {
	ctx := context.Background()
	a, err := HashStaffPassword(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := HashStaffPassword(ctx, "correct horse battery")
	if a == b || !strings.HasPrefix(a, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("two hashes of one password: %q and %q; want argon2id PHC strings with their own salts", a, b)
	}
	for _, tt := range []struct {
		password, stored string
		want             bool
	}{
		{"correct horse battery", a, true},
		{"correct horse battery", b, true},
		{"correct horse batterie", a, false},
		{"", a, false},
	} {
		if ok, err := checkStaffPassword(ctx, tt.password, tt.stored); ok != tt.want || err != nil {
			t.Errorf("checkStaffPassword(%q): %v, %v; want %v", tt.password, ok, err, tt.want)
		}
	}
	// A hash made with other parameters still checks: they are read from it.
	cheap := argonParams{memory: 8 * 1024, time: 1, threads: 1}
	salt := []byte("0123456789abcdef")
	key, _ := argonKey(ctx, "ancien", salt, cheap, 32)
	b64 := base64.RawStdEncoding
	old := "$argon2id$v=19$m=8192,t=1,p=1$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
	if ok, err := checkStaffPassword(ctx, "ancien", old); !ok || err != nil {
		t.Errorf("a hash of other parameters: %v, %v; want it checked with its own", ok, err)
	}
	for _, bad := range []string{"", "mot-de-passe", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5"} {
		if ok, err := checkStaffPassword(ctx, "x", bad); ok || err == nil {
			t.Errorf("checkStaffPassword against %q: %v, %v; want an error", bad, ok, err)
		}
	}
}

// BenchmarkStaffPasswordHash times one hash of the default parameters.
func BenchmarkStaffPasswordHash(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		HashStaffPassword(ctx, "correct horse battery")
	}
}
