package crawl

import (
	"bytes"
	"context"
	"testing"
)

// crawlResult is what one Run did: its report, its notes and its error.
type crawlResult struct {
	*Report
	log string
	err error
}

// crawlOnce runs a crawl with o, its notes kept, and fails the test when
// no report comes back.
func crawlOnce(t testing.TB, o Options) crawlResult {
	t.Helper()
	var log bytes.Buffer
	o.Log = &log
	rep, err := Run(context.Background(), o)
	if rep == nil {
		t.Fatalf("Run(%+v) gave no report; err: %v\nlog:\n%s", o, err, log.String())
	}
	return crawlResult{Report: rep, log: log.String(), err: err}
}
