package extract

import (
	"crypto/sha256"
	"encoding/hex"
)

// ID is the record id of a file: the hex SHA-256 of its bytes, so the same
// bytes found under two names are one record.
func ID(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Finish stamps rec as the record of one file, the one place that does:
// src says where the file came from (Path, and URL, FetchedAt and Extra
// when known) and gets the file's id (ID of its bytes), size and format;
// rec.ID is the id and rec.Extractor this version.
func Finish(rec *Record, src Source, id string, size int64, format string) {
	src.SHA256, src.Size, src.Format = id, size, format
	rec.ID = id
	rec.Source = src
	rec.Extractor = Version
}
