// Package server wires configuration, the registry and the HTTP API together
// and runs the HTTP server until its context is cancelled.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/voxguard/voxguard/services/management-api/internal/api"
	"github.com/voxguard/voxguard/services/management-api/internal/registry"
)

// Config holds the server settings.
type Config struct {
	Addr            string
	ShutdownTimeout time.Duration
}

// ConfigFromEnv reads VOXGUARD_ADDR (default ":8080") and
// VOXGUARD_SHUTDOWN_TIMEOUT (a Go duration, default "10s").
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{Addr: ":8080", ShutdownTimeout: 10 * time.Second}
	if v := getenv("VOXGUARD_ADDR"); v != "" {
		cfg.Addr = v
	}
	if v := getenv("VOXGUARD_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return Config{}, errors.New("VOXGUARD_SHUTDOWN_TIMEOUT: " + err.Error())
		}
		cfg.ShutdownTimeout = d
	}
	return cfg, nil
}

// Run listens on cfg.Addr and serves the API until ctx is done, then shuts
// down gracefully. ready, if not nil, receives the bound address.
func Run(ctx context.Context, cfg Config, logger *slog.Logger, ready chan<- string) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           api.New(registry.New(nil), prometheus.NewRegistry()),
		ReadHeaderTimeout: 5 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("management-api listening", "addr", ln.Addr().String())
	if ready != nil {
		ready <- ln.Addr().String()
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	logger.Info("management-api shutting down")
	return srv.Shutdown(shutdownCtx)
}
