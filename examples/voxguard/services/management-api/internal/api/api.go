// Package api exposes the registry as a JSON REST API with health and
// Prometheus metrics endpoints.
package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/voxguard/voxguard/services/management-api/internal/registry"
)

// maxBody bounds request bodies; rules and block entries are tiny.
const maxBody = 64 << 10

type handler struct {
	reg *registry.Registry
}

// New builds the HTTP handler. Metrics are registered on promReg, which is
// also what /metrics serves, so tests can use a fresh registry each time.
func New(reg *registry.Registry, promReg *prometheus.Registry) http.Handler {
	h := &handler{reg: reg}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "voxguard_api_requests_total",
		Help: "HTTP requests handled, by route and status code.",
	}, []string{"route", "code"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "voxguard_api_request_duration_seconds",
		Help:    "HTTP request latency by route.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})
	rules := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "voxguard_rules",
		Help: "Fraud rules currently configured.",
	}, func() float64 { n, _ := reg.Counts(); return float64(n) })
	blocked := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "voxguard_blocked_numbers",
		Help: "Numbers currently on the block list.",
	}, func() float64 { _, n := reg.Counts(); return float64(n) })
	promReg.MustRegister(requests, latency, rules, blocked, collectors.NewGoCollector())

	mux := http.NewServeMux()
	route := func(pattern string, fn http.HandlerFunc) {
		mux.Handle(pattern, instrument(pattern, requests, latency, fn))
	}
	route("GET /health", h.health)
	route("GET /api/v1/rules", h.listRules)
	route("POST /api/v1/rules", h.createRule)
	route("GET /api/v1/rules/{id}", h.getRule)
	route("PUT /api/v1/rules/{id}", h.updateRule)
	route("DELETE /api/v1/rules/{id}", h.deleteRule)
	route("GET /api/v1/blocked-numbers", h.listBlocked)
	route("POST /api/v1/blocked-numbers", h.block)
	route("GET /api/v1/blocked-numbers/{number}", h.checkBlocked)
	route("DELETE /api/v1/blocked-numbers/{number}", h.unblock)
	mux.Handle("GET /metrics", promhttp.HandlerFor(promReg, promhttp.HandlerOpts{Registry: promReg}))
	return mux
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func instrument(route string, requests *prometheus.CounterVec, latency *prometheus.HistogramVec, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next(rec, r)
		requests.WithLabelValues(route, strconv.Itoa(rec.code)).Inc()
		latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var verr *registry.ValidationError
	switch {
	case errors.As(err, &verr):
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": verr.Error(), "field": verr.Field})
	case errors.Is(err, registry.ErrNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	case errors.Is(err, registry.ErrConflict):
		writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
	}
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, errors.New("invalid JSON body: "+err.Error()))
		return false
	}
	return true
}

func (h *handler) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (h *handler) listRules(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, h.reg.Rules())
}

func (h *handler) getRule(w http.ResponseWriter, r *http.Request) {
	rule, err := h.reg.Rule(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rule)
}

func (h *handler) createRule(w http.ResponseWriter, r *http.Request) {
	var in registry.RuleInput
	if !decode(w, r, &in) {
		return
	}
	rule, err := h.reg.CreateRule(in)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Location", "/api/v1/rules/"+rule.ID)
	writeJSON(w, http.StatusCreated, rule)
}

func (h *handler) updateRule(w http.ResponseWriter, r *http.Request) {
	var in registry.RuleInput
	if !decode(w, r, &in) {
		return
	}
	rule, err := h.reg.UpdateRule(r.PathValue("id"), in)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rule)
}

func (h *handler) deleteRule(w http.ResponseWriter, r *http.Request) {
	if err := h.reg.DeleteRule(r.PathValue("id")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) listBlocked(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, h.reg.Blocked())
}

func (h *handler) block(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Number string `json:"number"`
		Reason string `json:"reason"`
	}
	if !decode(w, r, &in) {
		return
	}
	b, err := h.reg.Block(in.Number, in.Reason)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

func (h *handler) checkBlocked(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	writeJSON(w, http.StatusOK, map[string]any{"number": number, "blocked": h.reg.IsBlocked(number)})
}

func (h *handler) unblock(w http.ResponseWriter, r *http.Request) {
	if err := h.reg.Unblock(r.PathValue("number")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
