package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"ogi/extract"
	"ogi/index"
	"ogi/index/storetest"
)

// BenchmarkSQLitePut measures writing new records in batches, as an
// ingest run does; records/s is the figure to compare.
func BenchmarkSQLitePut(b *testing.B) {
	for _, batch := range []int{100, 500} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			base := storetest.TextRecords(batch)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				recs := make([]extract.Record, len(base))
				copy(recs, base)
				for j := range recs {
					recs[j].ID = fmt.Sprintf("%s-%d", base[j].ID, i)
				}
				b.StartTimer()
				if f, err := s.Put(ctx, recs); err != nil || len(f) > 0 {
					b.Fatalf("Put: %v %v", f, err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "records/s")
		})
	}
	b.Run("unchanged", func(b *testing.B) {
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		recs := storetest.TextRecords(500)
		ctx := context.Background()
		if _, err := s.Put(ctx, recs); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.Put(ctx, recs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "records/s")
	})
}

// BenchmarkSQLiteSearch measures a two-character query over 2000 records.
func BenchmarkSQLiteSearch(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Put(ctx, storetest.TextRecords(2000)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Search(ctx, index.Query{Text: "复议"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBigrams measures writing the full-text pieces of a record's
// narrative.
func BenchmarkBigrams(b *testing.B) {
	recs := storetest.TextRecords(20)
	var texts []string
	size := 0
	for i := range recs {
		t := recordNarrative(&recs[i])
		texts = append(texts, t)
		size += len(t)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		for _, t := range texts {
			buf = appendBigrams(buf[:0], t)
		}
	}
}
