package elastic

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"ogi/index"
	"ogi/index/storetest"
)

// BenchmarkESPut measures records per second written into the node at
// ELASTICSEARCH_URL, in calls of 500 records each (as a crawl run would
// batch them), every record new.
func BenchmarkESPut(b *testing.B) {
	b.Run("redownloads", func(b *testing.B) { benchESPut(b, false) })
	b.Run("new-reports", func(b *testing.B) { benchESPut(b, true) })
}

// benchESPut puts Records(500) again and again under new ids: the same
// paths and report keys each time (every call re-downloads the same
// reports, whose versions pile up), or, with distinct, each record a
// report and a path of its own.
func benchESPut(b *testing.B, distinct bool) {
	es := openTestES(b, Config{})
	ctx := context.Background()
	const batch = 500
	base := storetest.Records(batch)
	size := 0
	for _, r := range base {
		j, _ := json.Marshal(r)
		size += len(j)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		recs := storetest.Records(batch)
		for j := range recs {
			recs[j].ID = fmt.Sprintf("%s-%d", base[j].ID[:56], i)
			if distinct {
				recs[j].Source.Path = fmt.Sprintf("%s/%d/%d", recs[j].Source.Path, i, j)
				recs[j].Source.URL = ""
				k := fmt.Sprintf("report-%d-%d", i, j)
				recs[j].ReportKey = &k
			}
		}
		b.StartTimer()
		start := time.Now()
		failures, err := es.Put(ctx, recs)
		elapsed += time.Since(start)
		if err != nil || len(failures) > 0 {
			b.Fatalf("Put: %v, %d failures", err, len(failures))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*batch)/elapsed.Seconds(), "docs/s")
	if err := es.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	if n := countAll(b, es, index.Query{AllVersions: true}); n != b.N*batch {
		b.Fatalf("Count() = %d, want %d", n, b.N*batch)
	}
}
