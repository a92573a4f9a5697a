package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigFromEnv(t *testing.T) {
	cfg, err := ConfigFromEnv(env(nil))
	if err != nil || cfg.Addr != ":8080" || cfg.ShutdownTimeout != 10*time.Second {
		t.Fatalf("defaults = %+v, %v", cfg, err)
	}
	cfg, err = ConfigFromEnv(env(map[string]string{"VOXGUARD_ADDR": "127.0.0.1:9000", "VOXGUARD_SHUTDOWN_TIMEOUT": "2s"}))
	if err != nil || cfg.Addr != "127.0.0.1:9000" || cfg.ShutdownTimeout != 2*time.Second {
		t.Fatalf("overrides = %+v, %v", cfg, err)
	}
	if _, err := ConfigFromEnv(env(map[string]string{"VOXGUARD_SHUTDOWN_TIMEOUT": "soon"})); err == nil {
		t.Fatal("bad duration accepted")
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Addr: "127.0.0.1:0", ShutdownTimeout: time.Second}, quietLogger(), ready)
	}()
	addr := <-ready
	resp, err := http.Get("http://" + addr + "/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "ok") {
		t.Fatalf("health = %d %s", resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
}

func TestRunFailsOnBadAddress(t *testing.T) {
	err := Run(context.Background(), Config{Addr: "256.0.0.1:bad"}, quietLogger(), nil)
	if err == nil {
		t.Fatal("expected listen error")
	}
}
