package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/causette/causette/chat"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads m's figures as Prometheus would.
func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: status %d", rec.Code)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("/metrics is not the Prometheus text format: %v\n%s", err, rec.Body.String())
	}
	return families
}

// value is the sample of family name whose labels include want (0, false
// when there is none).
func value(families map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f, ok := families[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.GetCounter() != nil:
			return m.GetCounter().GetValue(), true
		case m.GetGauge() != nil:
			return m.GetGauge().GetValue(), true
		case m.GetHistogram() != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

// TestMetricsCountWhatVisitorsDo asks, is refused and rate limited over the
// API and a socket, and finds each in /metrics with the corpus in service.
func TestMetricsCountWhatVisitorsDo(t *testing.T) {
	m := NewMetrics()
	s := newTestServer(t, Config{Metrics: m, Limits: Limits{APIRateBurst: 3, APIRatePerSecond: 0.001}})
	s.current.Load().Version = "v-test"
	base := startHTTP(t, s)
	post(t, base+"/api/ask", "", `{"q":"Qui a fondé Mistral AI ?"}`)
	post(t, base+"/api/ask", "", `{"q":"`+strings.Repeat("mot ", chat.MaxQuestionRunes)+`"}`)
	c, _ := dial(t, base)
	c.ask("1", "Bonjour", "")
	post(t, base+"/api/ask", "", `{"q":"Bonjour"}`)
	post(t, base+"/api/ask", "", `{"q":"Bonjour"}`) // the fourth of a burst of 3

	f := scrape(t, m)
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"causette_answers_total", map[string]string{"kind": "answer", "channel": "api"}, 1},
		{"causette_answers_total", map[string]string{"kind": "smalltalk", "channel": "ws"}, 1},
		{"causette_answers_total", map[string]string{"kind": "smalltalk", "channel": "api"}, 1},
		{"causette_answer_duration_seconds", map[string]string{"channel": "api"}, 2},
		{"causette_messages_refused_total", map[string]string{"reason": "too_long"}, 1},
		{"causette_messages_refused_total", map[string]string{"reason": "rate_limited"}, 1},
		{"causette_rate_limited_total", map[string]string{"limit": limitAPI}, 1},
		{"causette_websockets_open", nil, 1},
		{"causette_corpus_info", map[string]string{"version": "v-test"}, 1},
		{"causette_build_info", nil, 1},
	}
	for _, c := range checks {
		got, ok := value(f, c.name, c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v); want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if _, ok := f["go_goroutines"]; !ok {
		t.Error("/metrics lacks Go's own figures (go_goroutines)")
	}
}

// TestMetricsReloadOutcomes counts the loads tried and says the last failed.
func TestMetricsReloadOutcomes(t *testing.T) {
	m := NewMetrics()
	s := newTestServer(t, Config{Metrics: m})
	s.current.Reloaded(ReloadOutcome{OK: true})
	s.current.Reloaded(ReloadOutcome{OK: false, Error: "corpus : illisible"})
	f := scrape(t, m)
	if got, _ := value(f, "causette_corpus_reloads_total", map[string]string{"outcome": "ok"}); got != 1 {
		t.Errorf("reloads ok = %v; want 1", got)
	}
	if got, _ := value(f, "causette_corpus_reloads_total", map[string]string{"outcome": "failed"}); got != 1 {
		t.Errorf("reloads failed = %v; want 1", got)
	}
	if got, ok := value(f, "causette_corpus_last_reload_ok", nil); !ok || got != 0 {
		t.Errorf("last reload ok = %v (found %v); want 0", got, ok)
	}
}

// TestNoMetricsCountsNothing: a server without Metrics answers as before.
func TestNoMetricsCountsNothing(t *testing.T) {
	base := startHTTP(t, newTestServer(t, Config{}))
	if resp, _ := post(t, base+"/api/ask", "", `{"q":"Qui a fondé Mistral AI ?"}`); resp.StatusCode != 200 {
		t.Errorf("answer without metrics: status %d; want 200", resp.StatusCode)
	}
}

// TestMetricsQuestionLog reads the question log's figures through the
// console's Attach: it writes, so it is up, and what it wrote is counted.
func TestMetricsQuestionLog(t *testing.T) {
	m := NewMetrics()
	f := newStaffFixtureWith(t, "", Config{Metrics: m})
	post(t, f.URL+"/api/ask", "", `{"q":"Qui a fondé Mistral AI ?"}`)
	f.Log.Flush(context.Background())
	families := scrape(t, m)
	if got, ok := value(families, "causette_question_log_up", nil); !ok || got != 1 {
		t.Errorf("causette_question_log_up = %v (found %v); want 1", got, ok)
	}
	if got, _ := value(families, "causette_question_log_written_total", nil); got < 1 {
		t.Errorf("causette_question_log_written_total = %v; want the turn asked", got)
	}
	for _, name := range []string{"causette_question_log_queue_depth", "causette_question_log_dropped_total", "causette_question_log_write_errors_total"} {
		if _, ok := value(families, name, nil); !ok {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}
