package web

import (
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/causette/causette/web/store"
)

// latencyBuckets are the answer latency histogram's bounds, in seconds: an
// answer takes a fraction of a millisecond on a small corpus and a few on
// 100,000 passages; past a second something is wrong.
var latencyBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

// Metrics are a server's figures in the Prometheus format: what it answered
// and how fast, what it refused, and, read when scraped, its sockets, its
// corpus and the components that plug in (the question log). A nil
// *Metrics counts nothing. Serve Handler on an address of its own, never
// the chat's: the figures are for the operators.
type Metrics struct {
	reg     *prometheus.Registry
	answers *prometheus.CounterVec
	latency *prometheus.HistogramVec
	refused *prometheus.CounterVec
	limited *prometheus.CounterVec
}

// NewMetrics returns a registry with Go's and the process's collectors and
// causette_build_info.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "causette_answers_total",
			Help: "Questions answered, by kind of answer (answer, no_answer, smalltalk…) and channel (ws, api).",
		}, []string{"kind", "channel"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "causette_answer_duration_seconds",
			Help:    "Time taken to answer a question, queueing excluded, by channel.",
			Buckets: latencyBuckets,
		}, []string{"channel"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "causette_messages_refused_total",
			Help: "Visitor messages and requests refused, by reason (the error code sent).",
		}, []string{"reason"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "causette_rate_limited_total",
			Help: "Requests refused by a rate limit or a connection cap, by limit.",
		}, []string{"limit"}),
	}
	version, goVersion := buildVersion()
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "causette_build_info",
		Help:        "Always 1; its labels name the build.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": goVersion},
	})
	build.Set(1)
	m.reg.MustRegister(m.answers, m.latency, m.refused, m.limited, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// buildVersion reads the module's version (or VCS revision) and Go's from
// the binary.
func buildVersion() (version, goVersion string) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown", "unknown"
	}
	version = bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && (version == "" || version == "(devel)") {
			version = s.Value
		}
	}
	if version == "" {
		version = "(devel)"
	}
	return version, bi.GoVersion
}

// Handler serves the figures in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Register adds a collector read at each scrape (a component's own
// figures, such as the question log's).
func (m *Metrics) Register(c prometheus.Collector) {
	if m != nil {
		m.reg.MustRegister(c)
	}
}

// answered counts an answer of kind on channel, taking took.
func (m *Metrics) answered(channel, kind string, took time.Duration) {
	if m == nil {
		return
	}
	m.answers.WithLabelValues(kind, channel).Inc()
	m.latency.WithLabelValues(channel).Observe(took.Seconds())
}

// refusal counts a message refused with code.
func (m *Metrics) refusal(code string) {
	if m != nil {
		m.refused.WithLabelValues(code).Inc()
	}
}

// limit counts a request refused by the named limit.
func (m *Metrics) limit(name string) {
	if m != nil {
		m.limited.WithLabelValues(name).Inc()
	}
}

// The limits causette_rate_limited_total names.
const (
	limitAPI            = "api"              // POST /api/ask's rate per address
	limitMessages       = "messages"         // a socket's messages per second
	limitSockets        = "sockets"          // the server's sockets in all
	limitSocketsPerAddr = "sockets_per_addr" // one address's sockets
	limitStaffSignIn    = "staff_signin"     // wrong sign-ins per address
	limitContact        = "contact"          // contact requests per address
)

// socketLimit names the limit behind hub.reserve's refusal status.
func socketLimit(status int) string {
	if status == http.StatusTooManyRequests {
		return limitSocketsPerAddr
	}
	return limitSockets
}

// refuse counts err as a refused message and returns it as sent.
func (s *Server) refuse(id string, err error) errMsg {
	m := errorMsg(id, err)
	s.metrics.refusal(m.Code)
	return m
}

// serverCollector reads, at each scrape, what a Server holds: its open
// sockets and the corpus in service.
type serverCollector struct{ s *Server }

var (
	descSockets = prometheus.NewDesc("causette_websockets_open", "WebSockets open now.", nil, nil)
	descCorpus  = prometheus.NewDesc("causette_corpus_info",
		"Always 1 while a corpus is in service; its label names the corpus version.", []string{"version"}, nil)
	descLoaded = prometheus.NewDesc("causette_corpus_loaded_timestamp_seconds",
		"When the corpus in service was loaded, in Unix seconds.", nil, nil)
	descReloads = prometheus.NewDesc("causette_corpus_reloads_total",
		"Corpus loads tried since start, by outcome (ok, failed).", []string{"outcome"}, nil)
	descReloadOK = prometheus.NewDesc("causette_corpus_last_reload_ok",
		"1 when the last corpus load succeeded, 0 when it failed (the previous corpus stays in service).", nil, nil)
)

func (c serverCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSockets, descCorpus, descLoaded, descReloads, descReloadOK} {
		ch <- d
	}
}

func (c serverCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(descSockets, prometheus.GaugeValue, float64(c.s.hub.count()))
	cur := c.s.current
	if snap := cur.Load(); snap != nil {
		ch <- prometheus.MustNewConstMetric(descCorpus, prometheus.GaugeValue, 1, strings.ToValidUTF8(snap.Version, "?"))
		ch <- prometheus.MustNewConstMetric(descLoaded, prometheus.GaugeValue, float64(snap.Loaded.UnixMilli())/1000)
	}
	tried, failed := cur.reloads.Load(), cur.failed.Load()
	ch <- prometheus.MustNewConstMetric(descReloads, prometheus.CounterValue, float64(tried-failed), "ok")
	ch <- prometheus.MustNewConstMetric(descReloads, prometheus.CounterValue, float64(failed), "failed")
	if o := cur.LastReload(); o != nil {
		ok := 0.0
		if o.OK {
			ok = 1
		}
		ch <- prometheus.MustNewConstMetric(descReloadOK, prometheus.GaugeValue, ok)
	}
}

// logCollector reads the question log's health at each scrape.
type logCollector struct{ log *store.Log }

var (
	descLogUp = prometheus.NewDesc("causette_question_log_up",
		"1 while the question log writes, 0 while it cannot (answers keep flowing).", nil, nil)
	descLogQueued = prometheus.NewDesc("causette_question_log_queue_depth",
		"Turns and ratings waiting for the question log's writer.", nil, nil)
	descLogWritten = prometheus.NewDesc("causette_question_log_written_total",
		"Operations the question log committed since start.", nil, nil)
	descLogDropped = prometheus.NewDesc("causette_question_log_dropped_total",
		"Turns and ratings not logged because the writer was behind or the queue full.", nil, nil)
	descLogFailed = prometheus.NewDesc("causette_question_log_write_errors_total",
		"Question log writes that failed.", nil, nil)
	descLogPurgeFailed = prometheus.NewDesc("causette_question_log_purge_errors_total",
		"Purges of turns past the retention that failed.", nil, nil)
)

func (c logCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descLogUp, descLogQueued, descLogWritten, descLogDropped, descLogFailed, descLogPurgeFailed} {
		ch <- d
	}
}

func (c logCollector) Collect(ch chan<- prometheus.Metric) {
	h := c.log.Health()
	up := 0.0
	if h.OK {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(descLogUp, prometheus.GaugeValue, up)
	ch <- prometheus.MustNewConstMetric(descLogQueued, prometheus.GaugeValue, float64(h.Queued))
	ch <- prometheus.MustNewConstMetric(descLogWritten, prometheus.CounterValue, float64(h.Written))
	ch <- prometheus.MustNewConstMetric(descLogDropped, prometheus.CounterValue, float64(h.Dropped))
	ch <- prometheus.MustNewConstMetric(descLogFailed, prometheus.CounterValue, float64(h.Failed))
	ch <- prometheus.MustNewConstMetric(descLogPurgeFailed, prometheus.CounterValue, float64(h.PurgeFailed))
}
