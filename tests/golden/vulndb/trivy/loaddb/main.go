// Command loaddb loads bolt-fixtures YAML into a Trivy cache directory (<cache>/db/trivy.db and
// metadata.json), as Trivy's own integration tests do, so that `trivy --skip-db-update --cache-dir <cache>`
// scans against it. Usage: go run . <cache-dir> <fixtures.yaml>...
package main

import (
	"log"
	"os"
	"path/filepath"
	"time"

	fixtures "github.com/aquasecurity/bolt-fixtures"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
)

func main() {
	dbDir := filepath.Join(os.Args[1], "db")
	if err := os.MkdirAll(dbDir, 0o700); err != nil {
		log.Fatal(err)
	}
	loader, err := fixtures.New(filepath.Join(dbDir, "trivy.db"), os.Args[2:])
	if err != nil {
		log.Fatal(err)
	}
	if err := loader.Load(); err != nil {
		log.Fatal(err)
	}
	if err := loader.Close(); err != nil {
		log.Fatal(err)
	}
	now := time.Now().UTC()
	meta := metadata.Metadata{Version: 2, NextUpdate: now.Add(24 * time.Hour), UpdatedAt: now}
	if err := metadata.NewClient(dbDir).Update(meta); err != nil {
		log.Fatal(err)
	}
}
