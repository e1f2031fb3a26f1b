package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
)

// runChat holds one conversation on standard input, a turn a line.
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	eng, asJSON, _, err := answeringEngine("chat", args, stderr)
	if err != nil {
		return err
	}
	interactive := !asJSON && isTerminal(stdin)
	if interactive {
		fmt.Fprintf(stdout, "%s\n", eng.Greeting())
		for _, s := range eng.Starters() {
			fmt.Fprintf(stdout, "   • %s\n", s)
		}
		fmt.Fprint(stdout, "\n> ")
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	token := ""
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		token, err = answerTurn(eng, sc.Text(), token, asJSON, stdout)
		if err != nil {
			return err
		}
		if interactive {
			fmt.Fprint(stdout, "> ")
		}
	}
	return sc.Err()
}

// isTerminal reports whether r (standard input, or an output) is a
// terminal: a person typing, or reading.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
