package store

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TerminalText returns a visitor's text fit to print on a terminal: what a
// terminal would obey instead of showing is written as a visible escape, the
// rest is left as typed (accents, emoji, quotes, backslashes). Escaped are:
// the C0 controls (ESC, BEL, backspace, carriage return...) and DEL, as \x1b
// (tab, newline and carriage return as \t, \n and \r); the C1 controls (CSI
// U+009B, NEL U+0085...) as \u009b; the Unicode bidirectional controls that
// reorder what follows them (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
// U+061C) as \u202e; and bytes that are not UTF-8 (a lone 0x9B is a CSI to
// some terminals) as \x9b.
//
// The log stores what was typed; this is for display only. A backslash is
// not escaped, so a visitor's literal "\x1b" prints as the escape of an ESC
// would: harmless, as it is only text.
func TerminalText(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || isTerminalControl(r) })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for s = s[i:]; s != ""; {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && isTerminalControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isTerminalControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// isTerminalControl reports whether r is a character TerminalText escapes.
func isTerminalControl(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c: // bidi
		return true
	}
	return false
}
