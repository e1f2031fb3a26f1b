package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/causette/causette/web/store"
)

// call sends a console API request, with the session cookie c when not nil.
func (f *staffFixture) call(tb testing.TB, method, path, body string, c *http.Cookie) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c != nil {
		req.AddCookie(c)
	}
	return do(tb, req)
}

// TestStaffRequests: the inbox lists the requests newest first with how
// many are new, changes a status with who did it, and deletes a request
// with its address; all behind the sign-in.
func TestStaffRequests(t *testing.T) {
	f := newContactFixture(t)
	postContact(t, f.URL, `{"message":"Premier","email":"ana@exemple.fr"}`)
	postContact(t, f.URL, `{"message":"Second"}`)
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/staff/api/requests", ""},
		{"PATCH", "/staff/api/requests/1", `{"status":"done"}`},
		{"DELETE", "/staff/api/requests/1", ""},
	} {
		if resp, body := f.call(t, tt.method, tt.path, tt.body, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without a session: %d %s; want 401", tt.method, tt.path, resp.StatusCode, body)
		}
	}
	c := f.session(t)
	list := func() (out struct {
		Requests []store.Request
		New      int
	}) {
		t.Helper()
		resp, body := f.call(t, "GET", "/staff/api/requests", "", c)
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil {
			t.Fatalf("GET /staff/api/requests: %d %s", resp.StatusCode, body)
		}
		return out
	}
	got := list()
	if len(got.Requests) != 2 || got.Requests[0].Message != "Second" || got.Requests[1].Email != "ana@exemple.fr" || got.New != 2 {
		t.Fatalf("inbox %+v; want Second then Premier with its address, 2 new", got)
	}
	first := got.Requests[1].ID
	resp, body := f.call(t, "PATCH", fmt.Sprintf("/staff/api/requests/%d", first), `{"status":"in_progress"}`, c)
	var moved store.Request
	if json.Unmarshal([]byte(body), &moved); resp.StatusCode != http.StatusOK || moved.Status != store.StatusInProgress ||
		moved.UpdatedBy != bootstrapAccount {
		t.Errorf("PATCH status in_progress: %d %s; want 200, in_progress by %q", resp.StatusCode, body, bootstrapAccount)
	}
	if got := list(); got.New != 1 {
		t.Errorf("after one request taken in hand, %d new; want 1", got.New)
	}
	for _, tt := range []struct {
		path, body string
		status     int
	}{
		{fmt.Sprintf("/staff/api/requests/%d", first), `{"status":"archived"}`, http.StatusBadRequest},
		{fmt.Sprintf("/staff/api/requests/%d", first), `{"status":`, http.StatusBadRequest},
		{"/staff/api/requests/999", `{"status":"done"}`, http.StatusNotFound},
		{"/staff/api/requests/abc", `{"status":"done"}`, http.StatusNotFound},
	} {
		if resp, body := f.call(t, "PATCH", tt.path, tt.body, c); resp.StatusCode != tt.status {
			t.Errorf("PATCH %s %s: %d %s; want %d", tt.path, tt.body, resp.StatusCode, body, tt.status)
		}
	}
	if resp, body := f.call(t, "DELETE", fmt.Sprintf("/staff/api/requests/%d", first), "", c); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s; want 204", resp.StatusCode, body)
	}
	got = list()
	if len(got.Requests) != 1 || got.Requests[0].Message != "Second" {
		t.Errorf("after the delete, inbox %+v; want Second alone", got.Requests)
	}
	for _, r := range storedRequests(t, f.Log) {
		if r.Email == "ana@exemple.fr" {
			t.Errorf("after the delete, request %d still holds the visitor's address", r.ID)
		}
	}
	if resp, _ := f.call(t, "DELETE", fmt.Sprintf("/staff/api/requests/%d", first), "", c); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleting it again: %d; want 404", resp.StatusCode)
	}
}
