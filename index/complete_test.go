package index

import "testing"

func TestComplete(t *testing.T) {
	ix, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"qui dirige mistr", "qui dirige Mistral"},
		{"Mistral", "Mistral"},           // a corpus word stays
		{"qui dirige ", "qui dirige "},   // a space ends the word
		{"m", "m"},                       // one letter is too short to guess
		{"zzzzq", "zzzzq"},               // nothing to complete to
		{"Arthur Mens", "Arthur Mensch"}, // completed as the corpus writes it
		{"décac", "décacorne"},
		{"decac", "décacorne"}, // typed without its accent
	}
	for _, tt := range tests {
		if got := ix.Complete(tt.in); got != tt.want {
			t.Errorf("Complete(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
