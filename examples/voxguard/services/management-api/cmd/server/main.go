// Command server runs the VoxGuard management API.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/voxguard/voxguard/services/management-api/internal/server"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg, err := server.ConfigFromEnv(os.Getenv)
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = server.Run(ctx, cfg, logger, nil)
		stop()
	}
	if err != nil {
		logger.Error("management-api failed", "error", err)
		os.Exit(1)
	}
}
