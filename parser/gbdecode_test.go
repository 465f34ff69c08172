package parser

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// checkGB18030Fast fails when the fast path decodes src other than x/text.
func checkGB18030Fast(t *testing.T, src []byte) bool {
	t.Helper()
	want, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
	if err != nil {
		t.Fatalf("x/text decode %q: %v", src, err)
	}
	got, ok := decodeGB18030Fast(nil, src)
	if ok && !bytes.Equal(got, want) {
		t.Errorf("decodeGB18030Fast(%q) = %q, want %q (x/text)", src, got, want)
	}
	slow, buf := decodeGB18030Pooled(src)
	if !bytes.Equal(slow, want) {
		t.Errorf("decodeGB18030Pooled(%q) = %q, want %q (x/text)", src, slow, want)
	}
	if buf != nil {
		putDecodeBuffer(buf)
	}
	return ok
}

func TestGB18030FastMatchesXText(t *testing.T) {
	// Every byte pair, alone and between ASCII.
	fast := 0
	for c0 := 0; c0 < 256; c0++ {
		for c1 := 0; c1 < 256; c1++ {
			if checkGB18030Fast(t, []byte{byte(c0), byte(c1)}) {
				fast++
			}
			checkGB18030Fast(t, []byte{'a', byte(c0), byte(c1), 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'})
		}
	}
	// The GBK pairs and the ASCII pairs at least take the fast path.
	if fast < 20000 {
		t.Errorf("fast path took %d of the 65,536 byte pairs, want more than 20,000", fast)
	}
	for _, s := range []string{"政府信息公开工作年度报告", "€ 2024 年", "𠀀", "\u00e9", "全角，标点。"} {
		enc := gbkBytes(t, s)
		checkGB18030Fast(t, enc)
		if s == "政府信息公开工作年度报告" {
			if _, ok := decodeGB18030Fast(nil, enc); !ok {
				t.Errorf("decodeGB18030Fast(%q) gave up on plain GBK text", s)
			}
		}
	}
	// Random pages: mostly ASCII with GBK runs and stray bytes.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := rng.IntN(64)
		b := make([]byte, n)
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = byte(0x80 + rng.IntN(128))
			} else {
				b[i] = byte(rng.IntN(128))
			}
		}
		checkGB18030Fast(t, b)
	}
}

func FuzzGB18030FastMatchesXText(f *testing.F) {
	f.Add([]byte("<p>\xd5\xfe\xb8\xae</p>"))
	f.Add([]byte("\x81\x30\x81\x30\x80\xff"))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkGB18030Fast(t, src)
	})
}
