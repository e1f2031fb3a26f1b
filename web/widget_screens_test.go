package web

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/causette/causette/web/browsertest"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Phone viewport of the tests: an iPhone 12 to 15 in CSS pixels.
const (
	phoneWidth  = 390
	phoneHeight = 844
	phoneScale  = 2
)

// The widget's desktop panel in CSS pixels (widget.js: .panel).
const (
	panelWidth  = 400
	panelHeight = 640
)

// widgetPhone emulates a phone: its viewport, touch and mobile layout.
func widgetPhone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(phoneWidth, phoneHeight,
		chromedp.EmulateScale(phoneScale), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
}

// askInPanel types a question in the open panel and waits for its answer.
func askInPanel(tb testing.TB, ctx context.Context, q string) {
	tb.Helper()
	before := widgetRun(tb, ctx, "answers so far", inPanel[int](`document.querySelectorAll('article.msg.bot').length`))
	widgetWait(tb, ctx, "focus in the question box", inPanel[bool](`document.activeElement && document.activeElement.id === 'question'`))
	widgetRun(tb, ctx, "type "+q, chromedp.KeyEvent(q+"\r"))
	widgetWait(tb, ctx, "the answer to "+q, inPanel[bool](
		`document.querySelectorAll('article.msg.bot').length > `+jsNumber(before)+` && !document.querySelector('.typing')`))
}

func jsNumber(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestWidgetPhone(t *testing.T) {
	ctx := widgetBrowser(t)
	sites := newWidgetSites(t)
	widgetRun(t, ctx, "phone viewport", widgetPhone())
	widgetRun(t, ctx, "open page 1", chromedp.Navigate(sites.allowed.URL+"/page1"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	clickLauncher(t, ctx)
	widgetWait(t, ctx, "the panel", panelReady)
	got := widgetRun(t, ctx, "panel box", chromedp.Evaluate[[]float64](`(r => [r.x, r.y, r.width, r.height])(`+
		`document.querySelector('causette-widget').shadowRoot.querySelector('.panel').getBoundingClientRect())`))
	if want := []float64{0, 0, phoneWidth, phoneHeight}; !equalFloats(got, want) {
		t.Errorf("phone panel box %v; want the full screen %v", got, want)
	}
	if size := widgetRun(t, ctx, "input font size", inPanel[float64](`parseFloat(getComputedStyle(document.getElementById('question')).fontSize)`)); size < 16 {
		t.Errorf("phone input font size %vpx; want at least 16px (iOS zooms under it)", size)
	}
	if d := widgetRun(t, ctx, "launcher display", chromedp.Evaluate[string](`getComputedStyle(`+launcherJS+`).display`)); d != "none" {
		t.Errorf("phone launcher under the open panel: display %s; want none (the panel has its own close button)", d)
	}
	// The visual viewport shrinks (a keyboard opens; here a pinch zoom):
	// the panel follows it, so its input stays in sight.
	widgetRun(t, ctx, "zoom in", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetPageScaleFactor, emulation.SetPageScaleFactorParams{PageScaleFactor: 2})
		return err
	}))
	widgetWait(t, ctx, "the panel inside the visual viewport", chromedp.Evaluate[bool](`(() => {
		const vv = visualViewport, r = document.querySelector('causette-widget').shadowRoot.querySelector('.panel').getBoundingClientRect();
		return vv.scale > 1.5 && Math.abs(r.top - vv.offsetTop) < 1 && Math.abs(r.height - vv.height) < 1;
	})()`))
	if v := widgetRun(t, ctx, "close button", inPanel[bool](`!document.getElementById('close').hidden`)); !v {
		t.Errorf("phone panel has no visible close button")
	}
	widgetRun(t, ctx, "close with the panel's button", inPanel[chromedp.Void](`document.getElementById('close').click()`))
	widgetWait(t, ctx, "closed panel, focus on the launcher", chromedp.Evaluate[bool](
		`document.querySelector('causette-widget').shadowRoot.activeElement === `+launcherJS))
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if d := a[i] - b[i]; d > 0.5 || d < -0.5 {
			return false
		}
	}
	return true
}

// TestWidgetScreenshots saves docs/widget-closed.png, docs/widget-open.png
// and docs/widget-phone.png from the demo page. Run it with
// CAUSETTE_SCREENSHOTS=1.
func TestWidgetScreenshots(t *testing.T) {
	if os.Getenv("CAUSETTE_SCREENSHOTS") == "" {
		t.Skip("set CAUSETTE_SCREENSHOTS=1 to write the widget's screenshots under docs/")
	}
	ctx := widgetBrowser(t)
	ts := widgetServer(t)
	shot := func(name string) {
		t.Helper()
		png := widgetRun(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join("..", "docs", name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	widgetRun(t, ctx, "desktop viewport", chromedp.EmulateViewport(1280, 800))
	widgetRun(t, ctx, "open the demo", chromedp.Navigate(ts.URL+"/demo"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	shot("widget-closed.png")

	clickLauncher(t, ctx)
	widgetWait(t, ctx, "the panel", panelReady)
	askInPanel(t, ctx, widgetQuestion)
	widgetRun(t, ctx, "show the first source", inPanel[chromedp.Void](`document.querySelector('.msg.bot .cite').click()`))
	widgetRun(t, ctx, "move the mouse away", chromedp.MouseEvent("mouseMoved", 10, 10))
	shot("widget-open.png")

	widgetRun(t, ctx, "phone viewport", widgetPhone())
	widgetRun(t, ctx, "reload on a phone", chromedp.Navigate(ts.URL+"/demo"))
	widgetWait(t, ctx, "the conversation on the phone", inPanel[bool](`!!document.querySelector('.msg.bot .cite')`))
	widgetRun(t, ctx, "scroll to the end", inPanel[chromedp.Void](`(l => l.scrollTop = l.scrollHeight)(document.getElementById('log'))`))
	shot("widget-phone.png")
}

// TestWidgetAccessibility runs axe-core on the demo page and the panel's
// pages (a conversation with a source open, in light and dark mode, and the
// refusal), with axe-core from browsertest.Axe.
func TestWidgetAccessibility(t *testing.T) {
	axe := browsertest.Axe(t)
	ctx := widgetBrowser(t)
	ts := widgetServer(t)
	check := func(what string) {
		t.Helper()
		widgetRun(t, ctx, "inject axe", chromedp.Evaluate[chromedp.Void](string(axe)))
		vs := widgetRun(t, ctx, "axe on "+what, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: {type: 'tag',
			values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}}).then(r =>
			r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(' | ')))`,
			chromedp.EvalAwaitPromise))
		if len(vs) != 0 {
			t.Errorf("axe on %s: %d violations:\n%s", what, len(vs), strings.Join(vs, "\n"))
		} else {
			t.Logf("axe on %s: no WCAG 2.2 A/AA or best-practice violation", what)
		}
	}
	dark := func(on bool) chromedp.Action[chromedp.Void] {
		v := "light"
		if on {
			v = "dark"
		}
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}},
			})
			return err
		})
	}

	// The demo on a phone first: its snippet scrolls sideways there.
	widgetRun(t, ctx, "phone-sized viewport", widgetPhone())
	widgetRun(t, ctx, "open the demo on a phone", chromedp.Navigate(ts.URL+"/demo"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	check("/demo on a phone, widget closed")
	widgetRun(t, ctx, "desktop viewport", chromedp.EmulateReset())

	widgetRun(t, ctx, "open the demo", chromedp.Navigate(ts.URL+"/demo"))
	widgetWait(t, ctx, "the launcher", chromedp.Evaluate[bool](`!!document.querySelector('causette-widget')`))
	check("/demo, widget closed")
	clickLauncher(t, ctx)
	widgetWait(t, ctx, "the panel", panelReady)
	check("/demo, widget open")

	// The panel's own pages, at the size of the widget's desktop panel.
	widgetRun(t, ctx, "panel-sized viewport", chromedp.EmulateViewport(panelWidth, panelHeight))
	embed := ts.URL + "/embed?origin=" + ts.URL + "&title=Questions+sur+Mistral+AI"
	for _, isDark := range []bool{false, true} {
		widgetRun(t, ctx, "colour scheme", dark(isDark))
		color := "" // Causette's own colour in dark mode, a site's in light mode
		if !isDark {
			color = "&color=%23ff7000"
		}
		widgetRun(t, ctx, "open /embed", chromedp.Navigate(embed+color))
		widgetWait(t, ctx, "the welcome", chromedp.Evaluate[bool](`!!document.querySelector('#starters .chip')`))
		widgetRun(t, ctx, "focus", chromedp.Evaluate[chromedp.Void](`document.getElementById('question').focus()`))
		widgetRun(t, ctx, "ask", chromedp.KeyEvent(widgetQuestion+"\r"))
		widgetWait(t, ctx, "the answer", chromedp.Evaluate[bool](`!!document.querySelector('.msg.bot .cite')`))
		check(map[bool]string{false: "/embed, light", true: "/embed, dark"}[isDark])
		widgetRun(t, ctx, "open a source", chromedp.Evaluate[chromedp.Void](`document.querySelector('.msg.bot .cite').click()`))
		widgetWait(t, ctx, "the source sheet", chromedp.Evaluate[bool](`!document.getElementById('panel').hidden`))
		check(map[bool]string{false: "/embed, light, source open", true: "/embed, dark, source open"}[isDark])
		widgetRun(t, ctx, "forget the conversation", chromedp.Evaluate[chromedp.Void](`sessionStorage.clear()`))
	}
	widgetRun(t, ctx, "colour scheme", dark(false))
	widgetRun(t, ctx, "open the refusal", chromedp.Navigate(ts.URL+"/embed?origin=https://pirate.example"))
	check("/embed refusal")
}
