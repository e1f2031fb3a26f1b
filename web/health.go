package web

import (
	"net/http"
	"slices"
	"time"
)

// HealthCheck reports the state of one component of the server for GET
// /healthz: ok is false while it fails, detail (counters, the last error;
// never visitor data) is shown as JSON under the component's name.
type HealthCheck func() (ok bool, detail any)

// healthFields are the fields of /healthz's own: no component may take
// their names.
var healthFields = map[string]bool{"status": true, "passages": true, "sockets": true, "failing": true,
	"ready": true, "version": true, "loaded": true, "reload": true, "skipped": true}

// handleReady answers 200 once a snapshot is in service, 503 before: a load
// balancer sends no visitor to a server still building its first index.
// /healthz (liveness) answers from the start.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.current.Load() == nil {
		w.Header().Set("Retry-After", seconds(readyRetryAfter))
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"ready": false})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ready": true})
}

// readyRetryAfter is what a prober is told to wait before asking again.
const readyRetryAfter = 5 * time.Second

// handleHealth reports that the server is up, how much it serves and the
// state of each component of Config.Health. A failing component makes the
// status "degraded" and is listed under "failing", yet the answer stays 200:
// visitors are still answered (the question log, for one, is off the answer
// path), so a load balancer must keep sending them.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{"status": "ok", "sockets": s.hub.count(), "ready": false, "passages": 0}
	if snap := s.current.Load(); snap != nil {
		body["ready"], body["passages"], body["version"] = true, len(snap.Index.Passages()), snap.Version
		body["loaded"] = snap.Loaded.UTC().Format(time.RFC3339)
	}
	var failing []string
	if snap := s.current.Load(); snap != nil {
		// Files left out of the corpus: what they hold is not answered.
		// Their count only: names and reasons are for the staff
		// (/staff/api/health), as every path and error text is.
		n := len(snap.Index.Stats().Skipped)
		body["skipped"] = n
		if n > 0 {
			failing = append(failing, "skipped")
		}
	}
	if o := s.current.LastReload(); o != nil {
		body["reload"] = o
		if !o.OK {
			// The old corpus still serves, but the folder holds a file that
			// will not load: a restart would fail. Say so now.
			failing = append(failing, "reload")
		}
	}
	for name, check := range s.health {
		ok, detail := check()
		body[name] = detail
		if !ok {
			failing = append(failing, name)
		}
	}
	if len(failing) > 0 {
		slices.Sort(failing)
		body["status"] = "degraded"
		body["failing"] = failing
	}
	writeJSON(w, http.StatusOK, body)
}
