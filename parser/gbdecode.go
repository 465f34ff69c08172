package parser

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// A fast path for decoding GB18030 (and so GBK and GB2312) pages: ASCII runs
// are copied eight bytes at a time and two-byte sequences looked up in a
// table made once from x/text's own decoder, so the result is x/text's
// byte for byte. What the table does not cover (four-byte sequences,
// unmapped or broken sequences, which x/text turns into U+FFFD) makes the
// fast path give up, and the caller decodes the page with x/text instead;
// real pages rarely hold either. TestGB18030FastMatchesXText and
// FuzzGB18030FastMatchesXText check it.

const (
	gbLead0  = 0x81 // lead bytes 0x81..0xFE
	gbTrails = 0xFF - 0x40
)

// gbTable[(c0-0x81)*gbTrails + c1-0x40] is the rune of the two-byte
// sequence c0 c1 under x/text's GB18030 decoder, 0 when x/text does not
// decode the pair to a single character other than U+FFFD.
var (
	gbTable     []uint16
	gbTableOnce sync.Once
)

func gbTwoByteTable() []uint16 {
	gbTableOnce.Do(func() {
		// One decode of every pair, each followed by '\n': a trail byte
		// of 0x40..0x7E or 0x80..0xFE always makes x/text consume the
		// pair as one character (possibly U+FFFD), so the output is a
		// character and a newline per pair.
		src := make([]byte, 0, 126*190*3)
		for c0 := gbLead0; c0 <= 0xFE; c0++ {
			for c1 := 0x40; c1 <= 0xFE; c1++ {
				if c1 != 0x7F {
					src = append(src, byte(c0), byte(c1), '\n')
				}
			}
		}
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
		tab := make([]uint16, 126*gbTrails)
		if err == nil {
			for c0 := gbLead0; c0 <= 0xFE; c0++ {
				for c1 := 0x40; c1 <= 0xFE; c1++ {
					if c1 == 0x7F {
						continue
					}
					r, n := utf8.DecodeRune(out)
					if n == 0 || n >= len(out) || out[n] != '\n' {
						// Not the shape expected: leave the rest of the
						// table empty, so every page takes x/text's path.
						gbTable = tab
						return
					}
					out = out[n+1:]
					if r != utf8.RuneError && r <= 0xFFFF {
						tab[(c0-gbLead0)*gbTrails+c1-0x40] = uint16(r)
					}
				}
			}
		}
		gbTable = tab
	})
	return gbTable
}

// decodeGB18030Fast appends the GB18030 decoding of src to dst and reports
// whether it could; when it could not (a sequence the table does not
// cover), the returned slice is dst's storage with unspecified contents.
func decodeGB18030Fast(dst, src []byte) ([]byte, bool) {
	tab := gbTwoByteTable()
	if need := len(dst) + len(src) + len(src)/2 + 16; cap(dst) < need {
		grown := make([]byte, len(dst), need)
		copy(grown, dst)
		dst = grown
	}
	i := 0
	for i < len(src) {
		// An ASCII run, eight bytes at a time.
		j := i
		for j+8 <= len(src) && binary.LittleEndian.Uint64(src[j:])&0x8080808080808080 == 0 {
			j += 8
		}
		for j < len(src) && src[j] < utf8.RuneSelf {
			j++
		}
		dst = append(dst, src[i:j]...)
		i = j
		if i == len(src) {
			break
		}
		c0 := src[i]
		if c0 == 0x80 {
			dst = append(dst, "€"...)
			i++
			continue
		}
		if c0 == 0xFF || i+1 == len(src) {
			return dst, false
		}
		c1 := src[i+1]
		if c1 < 0x40 || c1 == 0x7F || c1 == 0xFF {
			return dst, false
		}
		r := tab[int(c0-gbLead0)*gbTrails+int(c1-0x40)]
		if r == 0 {
			return dst, false
		}
		dst = utf8.AppendRune(dst, rune(r))
		i += 2
	}
	return dst, true
}
