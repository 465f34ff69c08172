package extract

import (
	"bytes"
	"encoding/json"
	"fmt"

	"ogi/region"
)

// Version names the extractor in every record. Bump it whenever a change
// can alter a record, so stores replace records made by older versions.
const Version = "ogi 0.3.0"

// Record is what one report file becomes (see record.md).
type Record struct {
	ID     string  `json:"id"` // hex sha256 of the file's bytes
	Source Source  `json:"source"`
	Agency *string `json:"agency"`
	// Region, AgencyKind and AgencyID place the agency (package region):
	// null when no agency was found. A region's keys are absent where
	// they do not apply or are not known.
	Region     *region.Region     `json:"region"`
	AgencyKind *string            `json:"agency_kind"` // government, department or other
	AgencyID   *string            `json:"agency_id"`   // region code and canonical name: one key per agency across years
	Year       *int               `json:"year"`
	Published  *string            `json:"published"`  // ISO date
	Template   *string            `json:"template"`   // "2021" or "2019", following table 2
	ReportKey  *string            `json:"report_key"` // agency_id/year
	Fields     map[string]*Number `json:"fields"`     // nil value: blank or dash cell
	Raw        map[string]string  `json:"raw"`
	Checks     []Check            `json:"checks"`
	Warnings   []string           `json:"warnings"`
	Sections   map[string]string  `json:"sections"`
	Extractor  string             `json:"extractor"`
}

// Source says which file a record came from, and where the crawler found it.
type Source struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Format string `json:"format"`
	Size   int64  `json:"size"`
	// Set from a crawl manifest when one is given.
	URL       string            `json:"url,omitempty"`
	FetchedAt string            `json:"fetched_at,omitempty"`
	Extra     map[string]string `json:"extra,omitempty"`
}

// Check is one identity of template.md applied to the printed numbers.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Number is an exact decimal in canonical form ("12", "7730.28", "-3").
// It is kept as text so no value ever passes through float64; it encodes
// as a JSON number.
type Number string

// MarshalJSON writes the number as a JSON number.
func (n Number) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	return []byte(n), nil
}

// UnmarshalJSON reads a JSON number without converting it.
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var v json.Number
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("number: %w", err)
	}
	*n = Number(v.String())
	return nil
}

// String returns the canonical text.
func (n Number) String() string { return string(n) }
