package extract

import "fmt"

// ReportKey is the key that groups the files of one report (an HTML page
// and its DOCX or PDF attachment, or the same page downloaded twice): the
// agency's identity (agency_id, one key however the name was printed)
// and the year, or nil when either is unknown. It is the one place that
// decides what "the same report" means; stores group records by the
// report_key it gives.
func ReportKey(r *Record) *string {
	if r.AgencyID == nil || r.Year == nil {
		return nil
	}
	k := fmt.Sprintf("%s/%d", *r.AgencyID, *r.Year)
	return &k
}
