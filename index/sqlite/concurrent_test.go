package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"ogi/extract"
	"ogi/index"
	"ogi/index/storetest"
)

// TestSQLiteConcurrentRunsOneFile: several runs open the same fresh file
// at once and write records carrying a section key that has no column yet
// (each must add it, or find it added). Every run succeeds (or waits for
// the other), the schema is made once and every record is stored once.
func TestSQLiteConcurrentRunsOneFile(t *testing.T) {
	for round := 0; round < 3; round++ {
		path := filepath.Join(t.TempDir(), "shared.db")
		const runs = 4
		recs := storetest.TextRecords(40)
		var wg sync.WaitGroup
		errs := make([]error, runs)
		start := make(chan struct{})
		for i := 0; i < runs; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				ctx := context.Background()
				s, err := Open(ctx, path)
				if err != nil {
					errs[i] = err
					return
				}
				defer s.Close()
				// Each run writes its own slice plus a record with a
				// section key only it has.
				part := append([]extract.Record(nil), recs[i*10:(i+1)*10]...)
				part[0].Sections = map[string]string{"overview": "概述", "section_" + string(rune('a'+i)): "独有的章节"}
				part[0].ID = part[0].ID[:60] + "000" + string(rune('0'+i))
				if f, err := s.Put(ctx, part); err != nil || len(f) > 0 {
					errs[i] = err
					if err == nil {
						errs[i] = errFailures(f)
					}
				}
			}(i)
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: run %d: %v", round, i, err)
			}
		}
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Count(context.Background(), index.Query{AllVersions: true}); n != 40 {
			t.Errorf("round %d: %d records stored, want 40", round, n)
		}
		for i := 0; i < runs; i++ {
			k := "section_" + string(rune('a'+i))
			var n int
			if err := s.db.QueryRow("SELECT count(*) FROM reports WHERE " + ident(k) + " = '独有的章节'").Scan(&n); err != nil || n != 1 {
				t.Errorf("round %d: column %s holds %d records (%v), want 1", round, k, n, err)
			}
		}
		consistent(t, s.db)
		s.Close()
	}
}

type errFailures []index.Failure

func (f errFailures) Error() string { return "failures: " + f[0].Reason }
