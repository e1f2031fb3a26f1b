package crawl

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsAgent is the name robots.txt groups are matched against.
const robotsAgent = "Causette"

const (
	// maxRobotsBytes is how much of robots.txt is read, as Google does.
	maxRobotsBytes = 500 << 10
	// maxCrawlDelay is the longest Crawl-delay honoured; a site asking more
	// is not crawled (2,000 pages a minute apart take a day and a half).
	maxCrawlDelay = time.Minute
)

// siteRules are one origin's robots.txt rules.
type siteRules struct {
	robots *robotstxt.RobotsData // nil: the site is not crawled
	delay  time.Duration         // its Crawl-delay
}

// permits reports whether robots.txt lets the crawler fetch u.
func (r *siteRules) permits(u *url.URL) bool {
	return r != nil && r.robots != nil && r.robots.TestAgent(u.RequestURI(), robotsAgent)
}

// rulesFor returns the robots.txt rules of u's origin, fetching them the
// first time. A robots.txt that cannot be read keeps the crawler off the
// site; a missing one (4xx) allows everything.
func (c *crawler) rulesFor(ctx context.Context, u *url.URL) *siteRules {
	o := origin(u)
	if r, ok := c.robots[o]; ok {
		return r
	}
	rules := &siteRules{}
	c.robots[o] = rules
	robotsURL := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	var r *response
	var err error
	for hop := 0; hop <= maxRedirects; hop++ {
		r, err = c.request(ctx, robotsURL, "robots")
		if err != nil || !isRedirect(r.status) {
			break
		}
		next, perr := robotsURL.Parse(r.location)
		if next = canonical(next); perr != nil || next == nil || next.Hostname() != u.Hostname() {
			err = fmt.Errorf("redirigé vers %q", r.location)
			break
		}
		robotsURL = next
	}
	if err == nil {
		rules.robots, err = robotstxt.FromStatusAndBytes(r.status, r.body)
	}
	if err != nil {
		if ctx.Err() == nil {
			c.notef("%s/robots.txt injoignable ou illisible (%s) : site laissé", o, describe(err))
		}
		rules.robots = nil
		return rules
	}
	rules.delay = rules.robots.FindGroup(robotsAgent).CrawlDelay
	switch {
	case rules.delay > maxCrawlDelay || rules.delay < 0: // < 0: too many seconds for a Duration
		c.notef("%s/robots.txt demande plus de %v entre deux requêtes : site laissé", o, maxCrawlDelay)
		rules.robots = nil
	case rules.delay > c.delay:
		c.notef("%s/robots.txt demande %v entre deux requêtes : accordé", o, rules.delay)
	}
	return rules
}
