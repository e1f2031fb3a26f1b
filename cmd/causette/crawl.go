package main

import (
	"context"
	"errors"
	"io"
)

// runCrawl is written by the crawler's work (placeholder while it is).
func runCrawl(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errors.New("crawl : pas encore disponible")
}
