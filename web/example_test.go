package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/causette/causette/chat"
	"github.com/causette/causette/index"
	"github.com/causette/causette/web"
)

// A Server over the seed corpus, asked through the JSON API.
func ExampleNewServer() {
	ix, err := index.Open(index.Options{}) // the embedded seed corpus
	if err != nil {
		log.Fatal(err)
	}
	srv, err := web.NewServer(web.Config{
		Engine: chat.New(ix, chat.Options{}),
		Index:  ix,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler()) // or srv.Run(ctx, ":8080")
	defer ts.Close()

	resp, err := http.Post(ts.URL+"/api/ask", "application/json",
		strings.NewReader(`{"q": "Qui est le PDG de Mistral ?"}`))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var a chat.Answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, a.Kind, strings.Contains(a.Citations[0].Text, "Arthur Mensch"))
	// Output: 200 answer true
}
