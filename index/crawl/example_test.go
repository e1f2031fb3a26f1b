package crawl_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing/fstest"

	"github.com/causette/causette/index/crawl"
)

// ExampleRun copies a small help site into a corpus folder, then crawls it
// again: nothing has changed.
func ExampleRun() {
	site := httptest.NewServer(http.FileServerFS(fstest.MapFS{
		"aide/index.html":    {Data: []byte(`<a href="horaires.html">Horaires</a> <a href="../contact.html">Contact</a>`)},
		"aide/horaires.html": {Data: []byte(`<p>Ouvert de 9 h à 17 h.</p>`)},
		"contact.html":       {Data: []byte(`<p>Hors du dossier de départ : jamais demandée.</p>`)},
	}))
	defer site.Close()
	out, err := os.MkdirTemp("", "corpus")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(out)
	o := crawl.Options{Out: out, Start: []string{site.URL + "/aide/"}}
	for range 2 {
		rep, err := crawl.Run(context.Background(), o)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("added %q, unchanged %d\n", rep.Added, rep.Unchanged)
	}
	// Output:
	// added ["horaires.html" "index.html"], unchanged 0
	// added [], unchanged 2
}
