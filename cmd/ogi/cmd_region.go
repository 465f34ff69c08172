package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"ogi/region"
)

func runRegion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "region", "[--host HOST] NAME...", "ogi region 淮安市洪泽区人民政府 洪泽县 朝阳区 320813")
	host := fs.String("host", "", "source URL host to place an ambiguous name by (a city's portal, say)")
	names, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no names", errUsage)
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	missing := 0
	for _, n := range names {
		var r region.Result
		if *host != "" {
			r = region.Resolve(region.Hints{Agency: n, Host: *host})
		} else {
			r = region.Lookup(n)
		}
		line, found := regionLine(n, r)
		if !found {
			missing++
		}
		fmt.Fprintln(w, line)
	}
	if missing > 0 {
		w.Flush()
		fmt.Fprintf(e.stderr, "ogi: %d of %d names not found\n", missing, len(names))
		return errPartial
	}
	return nil
}

// regionLine is one line of `ogi region`: the name, then its code, names,
// level, agency kind and agency id; or the candidates of an ambiguous
// name; or "not found". Notes (a former name) follow after "--".
func regionLine(name string, r region.Result) (string, bool) {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('\t')
	g := r.Region
	switch {
	case len(r.Candidates) > 0:
		fmt.Fprintf(&b, "ambiguous (%d):", len(r.Candidates))
		for i, c := range r.Candidates {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, " %s %s", c.Code, joinNames(c))
		}
		return b.String(), true
	case g.Level == region.National:
		fmt.Fprintf(&b, "-\t-\tnational\t%s\t%s", r.Kind, r.ID)
	case g.Code == "":
		b.WriteString("not found")
		return b.String(), false
	default:
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s", g.Code, joinNames(g), g.Level, r.Kind, r.ID)
	}
	var notes []string
	for _, w := range r.Warnings {
		notes = append(notes, strings.TrimPrefix(w, "region: "))
	}
	if len(notes) > 0 {
		b.WriteString("\t-- " + strings.Join(notes, "; "))
	}
	return b.String(), true
}

// joinNames writes a region's names from the top, separated by spaces.
func joinNames(g region.Region) string {
	var p []string
	for _, s := range []string{g.Province, g.City, g.County, g.Town} {
		if s != "" {
			p = append(p, s)
		}
	}
	return strings.Join(p, " ")
}
