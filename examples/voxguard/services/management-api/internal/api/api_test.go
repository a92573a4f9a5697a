package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/voxguard/voxguard/services/management-api/internal/registry"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(registry.New(nil), prometheus.NewRegistry()))
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, srv *httptest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestHealth(t *testing.T) {
	srv := newServer(t)
	code, body := do(t, srv, http.MethodGet, "/health", "")
	if code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("health = %d %s", code, body)
	}
}

func TestRuleLifecycle(t *testing.T) {
	srv := newServer(t)
	code, body := do(t, srv, http.MethodPost, "/api/v1/rules", `{"name":"IRSF premium","kind":"irsf","threshold":0.6,"enabled":true}`)
	if code != http.StatusCreated {
		t.Fatalf("create = %d %s", code, body)
	}
	var rule registry.Rule
	if err := json.Unmarshal([]byte(body), &rule); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/rules/" + rule.ID

	if code, body = do(t, srv, http.MethodGet, path, ""); code != http.StatusOK || !strings.Contains(body, "IRSF premium") {
		t.Fatalf("get = %d %s", code, body)
	}
	if code, body = do(t, srv, http.MethodPut, path, `{"name":"IRSF strict","kind":"irsf","threshold":0.4}`); code != http.StatusOK || !strings.Contains(body, "IRSF strict") {
		t.Fatalf("update = %d %s", code, body)
	}
	if code, body = do(t, srv, http.MethodGet, "/api/v1/rules", ""); code != http.StatusOK || !strings.Contains(body, rule.ID) {
		t.Fatalf("list = %d %s", code, body)
	}
	if code, _ = do(t, srv, http.MethodDelete, path, ""); code != http.StatusNoContent {
		t.Fatalf("delete = %d", code)
	}
	if code, _ = do(t, srv, http.MethodGet, path, ""); code != http.StatusNotFound {
		t.Fatalf("get after delete = %d", code)
	}
}

func TestRuleErrors(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		method, path, body string
		want               int
	}{
		{http.MethodPost, "/api/v1/rules", `{"name":"x","kind":"spam","threshold":0.5}`, http.StatusUnprocessableEntity},
		{http.MethodPost, "/api/v1/rules", `{not json`, http.StatusBadRequest},
		{http.MethodPost, "/api/v1/rules", `{"name":"x","colour":"red"}`, http.StatusBadRequest},
		{http.MethodPut, "/api/v1/rules/rule-7", `{"name":"x","kind":"irsf","threshold":0.5}`, http.StatusNotFound},
		{http.MethodPut, "/api/v1/rules/rule-7", `[]`, http.StatusBadRequest},
		{http.MethodDelete, "/api/v1/rules/rule-7", "", http.StatusNotFound},
		{http.MethodPatch, "/api/v1/rules/rule-7", "", http.StatusMethodNotAllowed},
	}
	for _, c := range cases {
		if code, body := do(t, srv, c.method, c.path, c.body); code != c.want {
			t.Errorf("%s %s %s = %d %s, want %d", c.method, c.path, c.body, code, body, c.want)
		}
	}
}

func TestBlockedNumbers(t *testing.T) {
	srv := newServer(t)
	const number = "+88212345678"
	if code, body := do(t, srv, http.MethodPost, "/api/v1/blocked-numbers", `{"number":"`+number+`","reason":"wangiri"}`); code != http.StatusCreated {
		t.Fatalf("block = %d %s", code, body)
	}
	if code, _ := do(t, srv, http.MethodPost, "/api/v1/blocked-numbers", `{"number":"`+number+`"}`); code != http.StatusConflict {
		t.Fatalf("duplicate = %d", code)
	}
	if code, _ := do(t, srv, http.MethodPost, "/api/v1/blocked-numbers", `{"number":"0803"}`); code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid number = %d", code)
	}
	if code, _ := do(t, srv, http.MethodPost, "/api/v1/blocked-numbers", `nope`); code != http.StatusBadRequest {
		t.Fatalf("bad body = %d", code)
	}
	if _, body := do(t, srv, http.MethodGet, "/api/v1/blocked-numbers", ""); !strings.Contains(body, number) {
		t.Fatalf("list = %s", body)
	}
	if _, body := do(t, srv, http.MethodGet, "/api/v1/blocked-numbers/"+number, ""); !strings.Contains(body, `"blocked":true`) {
		t.Fatalf("check = %s", body)
	}
	if code, _ := do(t, srv, http.MethodDelete, "/api/v1/blocked-numbers/"+number, ""); code != http.StatusNoContent {
		t.Fatalf("unblock = %d", code)
	}
	if code, _ := do(t, srv, http.MethodDelete, "/api/v1/blocked-numbers/"+number, ""); code != http.StatusNotFound {
		t.Fatalf("second unblock = %d", code)
	}
}

func TestMetrics(t *testing.T) {
	srv := newServer(t)
	do(t, srv, http.MethodPost, "/api/v1/rules", `{"name":"SIM-box","kind":"simbox","threshold":0.7}`)
	do(t, srv, http.MethodGet, "/api/v1/rules/rule-42", "")
	code, body := do(t, srv, http.MethodGet, "/metrics", "")
	if code != http.StatusOK {
		t.Fatalf("metrics = %d", code)
	}
	for _, want := range []string{
		`voxguard_api_requests_total{code="201",route="POST /api/v1/rules"} 1`,
		`voxguard_api_requests_total{code="404",route="GET /api/v1/rules/{id}"} 1`,
		"voxguard_rules 1",
		"voxguard_blocked_numbers 0",
		"voxguard_api_request_duration_seconds_bucket",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics missing %q", want)
		}
	}
}
