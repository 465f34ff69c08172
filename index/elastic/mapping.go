package elastic

import (
	"fmt"
	"strings"

	"ogi/extract"
)

// schemaVersion names the mapping below. Bump it when a mapping change
// cannot be applied in place: Open then reindexes into <alias>-v<N> and
// moves the alias.
// Version 2 added region, agency_kind and agency_id.
const schemaVersion = 2

// moneyUnit is the unit of decimal fields; all other fields are counts.
const moneyUnit = "万元"

// fieldIsMoney reports whether a field key holds 万元 amounts (decimals)
// rather than counts. Unknown keys report false.
func fieldIsMoney(key string) bool {
	for _, f := range extract.Fields() {
		if f.Key == key {
			return f.Unit == moneyUnit
		}
	}
	return false
}

func knownField(key string) bool {
	for _, f := range extract.Fields() {
		if f.Key == key {
			return true
		}
	}
	return false
}

// fieldsMapping maps every key of fields.tsv as an explicit object path:
// the record's "fields" object keeps its dotted keys in _source (so a
// record reads back byte for byte), and Elasticsearch expands the dots into
// the object paths mapped here. Counts are long without coercion, so a
// fractional count is refused instead of truncated; 万元 amounts are
// doubles and sums are rounded back to decimals (see formatSum).
func fieldsMapping() (map[string]any, error) {
	root := map[string]any{}
	for _, f := range extract.Fields() {
		parts := strings.Split(f.Key, ".")
		node := root
		for i, p := range parts {
			if i == len(parts)-1 {
				leaf := map[string]any{"type": "long", "coerce": false}
				if f.Unit == moneyUnit {
					leaf = map[string]any{"type": "double", "coerce": false}
				}
				if prev, ok := node[p]; ok {
					if pm, _ := prev.(map[string]any); pm["type"] != leaf["type"] {
						return nil, fmt.Errorf("fields.tsv: key %s is both a value and a group of values, or has two units", f.Key)
					}
				}
				node[p] = leaf
				break
			}
			child, ok := node[p].(map[string]any)
			if !ok {
				child = map[string]any{"type": "object", "dynamic": false, "properties": map[string]any{}}
				node[p] = child
			}
			if _, isLeaf := child["coerce"]; isLeaf {
				return nil, fmt.Errorf("fields.tsv: key %s is both a value and a group of values", f.Key)
			}
			node = child["properties"].(map[string]any)
		}
	}
	return root, nil
}

// mappings returns the index mapping with the given analyzer for the
// full-text fields (agency.text, sections.*, warnings).
func mappings(analyzer string) (map[string]any, error) {
	fields, err := fieldsMapping()
	if err != nil {
		return nil, err
	}
	keyword := map[string]any{"type": "keyword"}
	stored := func(t string) map[string]any { return map[string]any{"type": t, "index": false} }
	return map[string]any{
		"dynamic": "strict",
		"dynamic_templates": []any{
			map[string]any{"sections_text": map[string]any{
				"path_match":         "sections.*",
				"match_mapping_type": "string",
				"mapping":            map[string]any{"type": "text", "analyzer": analyzer},
			}},
		},
		"properties": map[string]any{
			"id": keyword,
			"source": map[string]any{
				"dynamic": "strict",
				"properties": map[string]any{
					"path":       keyword,
					"sha256":     keyword,
					"format":     keyword,
					"size":       map[string]any{"type": "long"},
					"url":        keyword,
					"fetched_at": keyword,
					"extra":      map[string]any{"type": "object", "enabled": false},
				},
			},
			"agency": map[string]any{
				"type": "keyword",
				"fields": map[string]any{
					"text": map[string]any{"type": "text", "analyzer": analyzer},
				},
			},
			"year":       map[string]any{"type": "integer", "coerce": false},
			"published":  map[string]any{"type": "date", "format": "strict_date_optional_time"},
			"template":   keyword,
			"report_key": keyword,
			// The code is a keyword so a prefix query finds a division and
			// everything under it.
			"region": map[string]any{
				"dynamic": "strict",
				"properties": map[string]any{
					"code": keyword, "province": keyword, "city": keyword, "county": keyword, "town": keyword, "level": keyword,
				},
			},
			"agency_kind": keyword,
			"agency_id":   keyword,
			// A key outside fields.tsv is kept in _source but not indexed.
			"fields": map[string]any{"type": "object", "dynamic": false, "properties": fields},
			"raw":    map[string]any{"type": "object", "enabled": false},
			"checks": map[string]any{
				"dynamic": "strict",
				"properties": map[string]any{
					"name":   keyword,
					"ok":     map[string]any{"type": "boolean"},
					"detail": stored("text"),
				},
			},
			"warnings":  map[string]any{"type": "text", "analyzer": analyzer},
			"sections":  map[string]any{"type": "object", "dynamic": true},
			"extractor": keyword,
			"versions":  versionsMapping,
		},
	}, nil
}

// indexBody is the body of the index template and of a new index.
func indexBody(analyzer string) (map[string]any, error) {
	m, err := mappings(analyzer)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"settings": map[string]any{
			"number_of_shards":     1,
			"auto_expand_replicas": "0-1",
			// 226 field paths plus metadata: above the default 1000 limit
			// only if fields.tsv grows a lot; keep headroom.
			"mapping.total_fields.limit": 2000,
		},
		"mappings": m,
	}, nil
}
