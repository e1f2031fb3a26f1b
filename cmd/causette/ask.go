package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/web/store"
)

// maxLineBytes bounds one question read from standard input.
const maxLineBytes = 1 << 20

// answeringEngine reads the flags that ask and chat share (--json, --top,
// --corpus), builds the engine and returns the other arguments.
func answeringEngine(name string, args []string, stderr io.Writer) (eng *chat.Engine, asJSON bool, rest []string, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "une réponse JSON par ligne")
	top := fs.Int("top", chat.DefaultTop, "nombre maximal de citations")
	dir := corpusFlag(fs)
	indexDir := indexFlag(fs, "", indexUsage)
	if err := fs.Parse(reorder(args)); err != nil {
		return nil, false, nil, err
	}
	_, eng, err = openEngine(dir, *indexDir, *top, nil)
	return eng, *jsonOut, fs.Args(), err
}

// runAsk answers each question on its own: the argument, or one a line.
func runAsk(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	eng, asJSON, rest, err := answeringEngine("ask", args, stderr)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	if len(rest) > 0 {
		return answerOne(eng, strings.Join(rest, " "), "", asJSON, out)
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := answerOne(eng, sc.Text(), "", asJSON, out); err != nil {
			return err
		}
	}
	return sc.Err()
}

// answerOne answers q and writes it; a bad question is reported in its place
// and the run goes on. It returns the answer's context token.
func answerOne(eng *chat.Engine, q, context string, asJSON bool, out io.Writer) error {
	_, err := answerTurn(eng, q, context, asJSON, out)
	return err
}

func answerTurn(eng *chat.Engine, q, context string, asJSON bool, out io.Writer) (string, error) {
	a, err := eng.Ask(q, context)
	var qe *chat.Error
	if errors.As(err, &qe) {
		if asJSON {
			b, _ := json.Marshal(map[string]string{"kind": "error", "code": qe.Code, "message": qe.Message})
			_, werr := fmt.Fprintf(out, "%s\n", b)
			return context, werr
		}
		_, werr := fmt.Fprintf(out, "⚠ %s\n\n", qe.Message)
		return context, werr
	}
	if err != nil {
		return context, err
	}
	if asJSON {
		b, err := json.Marshal(a)
		if err != nil {
			return context, err
		}
		_, err = fmt.Fprintf(out, "%s\n", b)
		return a.Context, err
	}
	return a.Context, printAnswer(out, a)
}

// printAnswer writes an answer for a person reading a terminal.
//
// The short answer comes first, alone on its line, when there is one. The
// corpus's text reaches the terminal with its control characters escaped
// (see store.TerminalText), as the log's does.
func printAnswer(out io.Writer, a chat.Answer) error {
	// Line by line: an answer may hold a list, one item a line.
	text := func(s string) string {
		lines := strings.Split(s, "\n")
		for i := range lines {
			lines[i] = store.TerminalText(lines[i])
		}
		return strings.Join(lines, "\n")
	}
	var b strings.Builder
	if a.Short != "" {
		fmt.Fprintf(&b, "→ %s\n", text(a.Short))
	}
	b.WriteString(text(a.Answer))
	b.WriteString("\n")
	for i, c := range a.Citations {
		fmt.Fprintf(&b, "  [%d] %s — %s, §%d\n", i+1, text(c.Title), text(sectionOr(c.Section)), c.Paragraph)
	}
	if a.Kind == chat.KindAnswer {
		fmt.Fprintf(&b, "  (confiance : %.0f %%)\n", a.Confidence*100)
	}
	if len(a.Choices) == 2 {
		fmt.Fprintf(&b, "  Vouliez-vous parler de « %s » ou de « %s » ?\n", text(a.Choices[0].Label), text(a.Choices[1].Label))
	}
	if len(a.Suggestions) > 0 {
		b.WriteString("  Suggestions :\n")
		for _, s := range a.Suggestions {
			fmt.Fprintf(&b, "   • %s\n", text(s))
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(out, b.String())
	return err
}

func sectionOr(s string) string {
	if s == "" {
		return "début du document"
	}
	return s
}
