package web

import (
	"net/http"
	"slices"
)

// HealthCheck reports the state of one component of the server for GET
// /healthz: ok is false while it fails, detail (counters, the last error;
// never visitor data) is shown as JSON under the component's name.
type HealthCheck func() (ok bool, detail any)

// healthFields are the fields of /healthz's own: no component may take
// their names.
var healthFields = map[string]bool{"status": true, "passages": true, "sockets": true, "failing": true}

// handleHealth reports that the server is up, how much it serves and the
// state of each component of Config.Health. A failing component makes the
// status "degraded" and is listed under "failing", yet the answer stays 200:
// visitors are still answered (the question log, for one, is off the answer
// path), so a load balancer must keep sending them.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{
		"status": "ok", "passages": len(s.index.Passages()), "sockets": s.hub.count(),
	}
	var failing []string
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
