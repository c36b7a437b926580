// Command benchdb writes the results benchmark's SQLite database with the
// answers both as the product stores them (compact blobs) and as a
// normalised table, so the engine and a plain GROUP BY in the sqlite3 shell
// can be timed on the same file (docs/benchmarks.md, "Results latency").
//
//	go run ./survey/report/benchdb -out /tmp/results-bench.db -n 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/allypulse/allypulse/survey/report/internal/benchgen"
)

func main() {
	out := flag.String("out", "results-bench.db", "SQLite file to create")
	n := flag.Int("n", 100000, "responses")
	flag.Parse()
	id, err := benchgen.Generate(context.Background(), *out, *n, true, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchdb:", err)
		os.Exit(1)
	}
	fmt.Println("survey", id, "written to", *out)
}
