package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/causette/causette/web/browsertest"
	"github.com/causette/causette/web/store"
)

// TestStaffBrowserRoles signs in with a name and a password in a real
// Chromium: a lecture account sees the team's answers without any control
// to change them, and a note saying why; an édition account has them. The
// sign-in page and both consoles pass axe-core.
func TestStaffBrowserRoles(t *testing.T) {
	f := newStaffFixture(t, "")
	f.addAccount(t, store.RoleRead)
	if _, err := f.Log.SaveEntry(context.Background(), store.Entry{Question: "Où garer son vélo ?", Alternates: []string{"parking vélo"}, Answer: "Devant la mairie.", Enabled: true}, "test"); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	for _, role := range []string{store.RoleRead, store.RoleEdit} {
		step(t, ctx, "open the console as "+role,
			chromedp.Navigate(f.URL+"/staff"),
		)
		afterNavigation(t, ctx, "the sign-in page", `location.pathname === '/staff/signin' && document.readyState === 'complete'`)
		if role == store.RoleRead {
			if n := eval[int](t, ctx, `document.querySelectorAll('#token').length`); n != 0 {
				t.Errorf("sign-in page once accounts exist shows the token's field")
			}
			checkAccessibility(t, ctx, "sign-in with accounts")
			if os.Getenv(screenshotsEnv) == "1" {
				shoot(t, ctx, filepath.Join("..", "docs", "staff-signin-accounts.png"))
			}
		}
		step(t, ctx, "sign in as "+role,
			chromedp.SendKeys(chromedp.CSS(`#name`), staffTestName(role)),
			chromedp.SendKeys(chromedp.CSS(`#password`), staffTestPassword),
			chromedp.Click(chromedp.CSS(`.signin button[type=submit]`)),
		)
		afterNavigation(t, ctx, "the console as "+role, `location.pathname === '/staff' && document.readyState === 'complete'`)
		step(t, ctx, "the team's answers as "+role, chromedp.Evaluate[chromedp.Void](`location.hash = '#reponses'`))
		afterNavigation(t, ctx, "the team's answers as "+role, `!!document.querySelector('#team-body table')`)
		if who := eval[string](t, ctx, `document.querySelector('.signout .account').textContent`); !strings.Contains(who, staffTestName(role)) {
			t.Errorf("as %s, the bar names %q; want the account", role, who)
		}
		shown := func(sel string) bool {
			return eval[bool](t, ctx, `(() => { const e = document.querySelector(`+"`"+sel+"`"+`); return !!e && e.getClientRects().length > 0; })()`)
		}
		lecture := role == store.RoleRead
		for _, sel := range []string{"#entry-form", "#team-body .row-actions"} {
			if shown(sel) == lecture {
				t.Errorf("as %s, %s shown: %v; want %v", role, sel, !lecture, !lecture)
			}
		}
		if shown(".read-only-note") != lecture {
			t.Errorf("as %s, the read-only note shown: %v; want %v", role, !lecture, lecture)
		}
		if lecture {
			if n := eval[int](t, ctx, `[...document.querySelectorAll('#team-body .row-actions button, #entry-form button')].filter(b => !b.disabled).length`); n != 0 {
				t.Errorf("as lecture, %d editing buttons are enabled; want none", n)
			}
		}
		checkAccessibility(t, ctx, "team view as "+role)
		if shown(".accounts-link") == lecture {
			t.Errorf("as %s, the link to the accounts shown: %v; want %v", role, lecture, !lecture)
		}
		if !lecture {
			manageAccounts(t, ctx, f.URL)
		}
		step(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`.signout button`)))
		afterNavigation(t, ctx, "signed out", `location.pathname === '/staff/signin' && document.readyState === 'complete'`)
	}
}

// manageAccounts opens the « Comptes » page as an édition account, checks
// it with axe-core and adds an account through its form.
func manageAccounts(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	step(t, ctx, "open the accounts' page", chromedp.Navigate(base+"/staff/comptes"))
	afterNavigation(t, ctx, "the accounts' list", `document.querySelectorAll('#accounts-body tbody tr').length === 2`)
	checkAccessibility(t, ctx, "accounts")
	step(t, ctx, "add an account",
		chromedp.SendKeys(chromedp.CSS(`#account-name`), "Lise"),
		chromedp.SendKeys(chromedp.CSS(`#account-password`), "un-mot-de-passe-neuf"),
		chromedp.Click(chromedp.CSS(`#account-form button[type=submit]`)),
	)
	afterNavigation(t, ctx, "the new account listed", `document.querySelectorAll('#accounts-body tbody tr').length === 3`)
	if msg := eval[string](t, ctx, `document.getElementById('account-status').textContent`); msg != "Compte « lise » créé, rôle lecture." {
		t.Errorf("adding Lise says %q; want « Compte « lise » créé, rôle lecture. »", msg)
	}
	if os.Getenv(screenshotsEnv) == "1" {
		shoot(t, ctx, filepath.Join("..", "docs", "staff-accounts.png"))
	}
}

// afterNavigation waits until the JavaScript condition cond holds, trying
// again while a navigation is under way (an evaluation during one fails):
// chromedp's waits can miss the load of a page reached by a form's POST.
func afterNavigation(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	browsertest.Await(t, ctx, what, cond)
}

// signInWithToken signs in at base's console with the test's token (no
// account exists) and waits for the search view.
func signInWithToken(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	step(t, ctx, "sign in",
		chromedp.Navigate(base+"/staff"),
		chromedp.WaitVisible(chromedp.CSS(`#token`)),
		chromedp.SendKeys(chromedp.CSS(`#token`), staffTestToken+kb.Enter),
	)
	afterNavigation(t, ctx, "the console after signing in", `!!document.querySelector('#q') && !document.getElementById('view-search').hidden`)
}
