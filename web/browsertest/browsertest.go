// Package browsertest drives a headless Chromium for the browser tests of
// package web and of the command (chromedp), with axe-core's accessibility
// check. A missing tool fails the test in CI (.ci/run installs it) and
// skips it elsewhere, naming the package to install: a check never passes
// having checked nothing.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Settings of the browser tests.
const (
	// ChromiumPath is Debian's Chromium, which .ci/run installs.
	ChromiumPath = "/usr/bin/chromium"
	// StepTimeout bounds one step of a browser test; the chat page's
	// reconnection backoff is at most 10 s.
	StepTimeout = 20 * time.Second
	// ScreenshotsEnv, set to 1, makes the tests save their screenshots in
	// docs/.
	ScreenshotsEnv = "CAUSETTE_SCREENSHOTS"
	// AxeEnv names axe.min.js (axe-core) for the accessibility check; by
	// default the tests look in AxeDefault.
	AxeEnv     = "CAUSETTE_AXE"
	AxeDefault = "/tmp/causette-axe/node_modules/axe-core/axe.min.js"
	// CIEnv is set (CI=true) where the tools the tests need are installed
	// by .ci/run: a missing one is then a failure, never a skip.
	CIEnv = "CI"
	// PollInterval is how often a page is polled for a condition.
	PollInterval = 20 * time.Millisecond
)

// New starts a headless Chromium with a fresh profile and a window of the
// given size, or stops the test when none is installed (NeedTool).
func New(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	path := ChromiumPath
	if _, err := os.Stat(path); err != nil {
		path = ""
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			NeedTool(tb, fmt.Sprintf("no Chromium at %s nor on PATH: install Debian's chromium (apt-get install chromium) to run the browser tests", ChromiumPath))
		}
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	tb.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser: no timeout on it (see chromedp.Run).
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// Step runs actions with StepTimeout, failing the test with what.
func Step(tb testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// NeedTool stops a test that lacks a tool: it fails in CI, which installs
// every tool the tests need (.ci/run), and skips elsewhere, saying which
// package to install.
func NeedTool(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv(CIEnv) != "" {
		tb.Fatalf("%s (%s=%s: .ci/run should have installed it)", why, CIEnv, os.Getenv(CIEnv))
	}
	tb.Skip(why)
}

// Axe returns axe-core's axe.min.js, from $CAUSETTE_AXE or AxeDefault, or
// stops the test (NeedTool).
func Axe(tb testing.TB) []byte {
	tb.Helper()
	path := os.Getenv(AxeEnv)
	if path == "" {
		path = AxeDefault
	}
	src, err := os.ReadFile(path)
	if err != nil {
		NeedTool(tb, fmt.Sprintf("no axe-core at %s: npm install --prefix /tmp/causette-axe axe-core@4 (npm's axe-core), or set %s", path, AxeEnv))
	}
	return src
}

// axeResult is what the page returns from axe.run.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes int `json:"passes"`
}

// CheckAccessibility runs axe-core (WCAG 2.0-2.2 A and AA rules and best
// practices) on the page as it is; each violation fails the test.
func CheckAccessibility(tb testing.TB, ctx context.Context, mode string) {
	tb.Helper()
	src := Axe(tb)
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	// The page's CSP forbids eval; DevTools evaluation is not subject to it.
	if _, err := chromedp.Run(sctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		tb.Fatalf("loading axe-core: %v", err)
	}
	raw, err := chromedp.Run(sctx, chromedp.Evaluate[[]byte](`axe.run(document, {
		runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}
	}).then(r => ({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map(n => ({target: n.target, html: n.html}))})), passes: r.passes.length}))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("running axe-core: %v", err)
	}
	var res axeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		tb.Fatalf("axe-core result %s: %v", raw, err)
	}
	tb.Logf("axe-core (%s mode): %d rules passed, %d violated", mode, res.Passes, len(res.Violations))
	for _, v := range res.Violations {
		for _, n := range v.Nodes {
			tb.Errorf("axe-core (%s mode): %s (%s) %s at %v: %s", mode, v.ID, v.Impact, v.Help, n.Target, n.HTML)
		}
	}
}

// Shoot saves a screenshot of the page at path.
func Shoot(tb testing.TB, ctx context.Context, path string) {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.Fatalf("screenshot %s: %v", path, err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("saved %s", path)
}

// Await waits until the page's expression cond is true, asking again and
// again with short evaluations: unlike a chromedp wait begun before a form
// is submitted, it holds across the navigation that follows.
func Await(tb testing.TB, ctx context.Context, what, cond string) {
	tb.Helper()
	deadline := time.Now().Add(StepTimeout)
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 10*PollInterval)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(PollInterval)
	}
	tb.Fatalf("%s: %s still false after %v", what, cond, StepTimeout)
}
