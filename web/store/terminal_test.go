package store

import "testing"

func TestTerminalText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Où se trouve le siège ? « Très » bien, ça va — merci 👍", "Où se trouve le siège ? « Très » bien, ça va — merci 👍"},
		{"", ""},
		{"rouge \x1b[31mDANGER\x1b[0m", `rouge \x1b[31mDANGER\x1b[0m`},
		{"titre \x1b]0;piège\x07", `titre \x1b]0;piège\x07`},
		{"cloche\a", `cloche\x07`},
		{"abc\u202efdp.exe", `abc\u202efdp.exe`},
		{"\u2066isolé\u2069 \u200e\u200f\u061c", `\u2066isolé\u2069 \u200e\u200f\u061c`},
		{"une\tdeux\ntrois\rquatre", `une\tdeux\ntrois\rquatre`},
		{"nul\x00 efface\x08 suppr\x7f", `nul\x00 efface\x08 suppr\x7f`},
		{"csi \u009b31m nel \u0085", `csi \u009b31m nel \u0085`},
		{"octet \x9b31m seul", `octet \x9b31m seul`},
		{`C:\dossier\x1b`, `C:\dossier\x1b`},
	}
	for _, tt := range tests {
		if got := TerminalText(tt.in); got != tt.want {
			t.Errorf("TerminalText(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
