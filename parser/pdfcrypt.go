package parser

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
)

// The object library reads RC4-encrypted files of 128-bit keys, but
// derives the per-object key of shorter ones (40-bit, the Acrobat 3 and 4
// default) wrongly: it keeps all 16 bytes of the MD5 where the standard
// keeps n+5. For those files ogi decrypts the file itself, with the empty
// user password, before handing it over: every string and stream of every
// object is decrypted (strings rewritten as hex), and a fresh
// cross-reference section without /Encrypt is appended.

var (
	trailerEncrypt = regexp.MustCompile(`/Encrypt\s*(?:(\d+)\s+(\d+)\s+R|<<)`)
	trailerID      = regexp.MustCompile(`/ID\s*\[`)
)

// pdfPadding pads a password to 32 bytes (ISO 32000-1, 7.6.3.3).
var pdfPadding = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

// decryptShortRC4 returns data decrypted as above when it is encrypted by
// the standard handler with RC4 and a key shorter than 128 bits, and ok;
// not ok (and data unchanged) for any other file. An error means such a
// file that needs a user password.
func decryptShortRC4(data []byte, maxDecoded, maxStream int64) ([]byte, bool, error) {
	ms := trailerEncrypt.FindAllSubmatchIndex(data, -1)
	if len(ms) == 0 {
		return data, false, nil
	}
	m := ms[len(ms)-1]
	encNum := -1
	var dict pdfTok
	if m[2] >= 0 {
		encNum, _ = strconv.Atoi(string(data[m[2]:m[3]]))
		body := objectBody(data, encNum)
		if body == nil {
			return data, false, nil
		}
		lx := pdfLexer{b: body}
		dict = lx.next()
	} else {
		lx := pdfLexer{b: data, pos: m[1] - 2}
		dict = lx.next()
	}
	if dict.kind != tokDict {
		return data, false, nil
	}
	get := func(k string) (pdfTok, bool) {
		for i := 0; i+1 < len(dict.arr); i += 2 {
			if dict.arr[i].kind == tokName && dict.arr[i].s == k {
				return dict.arr[i+1], true
			}
		}
		return pdfTok{}, false
	}
	num := func(k string, def int) int {
		if t, ok := get(k); ok && t.kind == tokNum {
			return int(t.num)
		}
		return def
	}
	str := func(k string) []byte {
		if t, ok := get(k); ok && t.kind == tokString {
			return []byte(t.s)
		}
		return nil
	}
	if f, _ := get("Filter"); f.kind != tokName || f.s != "Standard" {
		return data, false, nil
	}
	v, r, bits := num("V", 0), num("R", 0), num("Length", 40)
	if v != 1 && v != 2 || r != 2 && r != 3 || bits%8 != 0 || bits < 40 || bits >= 128 {
		return data, false, nil
	}
	o, u, p := str("O"), str("U"), uint32(int32(num("P", 0)))
	var id []byte
	if ims := trailerID.FindAllIndex(data, -1); len(ims) > 0 {
		lx := pdfLexer{b: data, pos: ims[len(ims)-1][1] - 1}
		if arr := lx.next(); arr.kind == tokArray && len(arr.arr) > 0 && arr.arr[0].kind == tokString {
			id = []byte(arr.arr[0].s)
		}
	}
	if len(o) < 32 || len(u) < 16 {
		return data, false, nil
	}
	// Algorithm 2: the file key from the empty user password.
	n := bits / 8
	h := md5.New()
	h.Write(pdfPadding)
	h.Write(o[:32])
	h.Write([]byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)})
	h.Write(id)
	key := h.Sum(nil)
	if r >= 3 {
		for range 50 {
			s := md5.Sum(key[:n])
			key = s[:]
		}
	}
	key = key[:n]
	// Algorithms 4 and 5: the empty password is the user password if U
	// is what it gives.
	var want []byte
	if r == 2 {
		want = make([]byte, 32)
		c, _ := rc4.NewCipher(key)
		c.XORKeyStream(want, pdfPadding)
	} else {
		h := md5.New()
		h.Write(pdfPadding)
		h.Write(id)
		want = h.Sum(nil)
		for i := range 20 {
			k := make([]byte, n)
			for j := range key {
				k[j] = key[j] ^ byte(i)
			}
			c, _ := rc4.NewCipher(k)
			c.XORKeyStream(want, want)
		}
	}
	if !bytes.HasPrefix(u, want[:16]) {
		return data, false, fmt.Errorf("%w: RC4 %d-bit, a user password is needed", ErrEncrypted, bits)
	}
	out := decryptObjects(data, key, encNum)
	tail := rebuildXref(out, nil, maxDecoded, maxStream)
	if tail == nil {
		return data, false, nil
	}
	return append(out, tail...), true, nil
}

// objectBody returns the bytes after "n g obj" of the last definition of
// object n, up to its endobj; nil when there is none.
func objectBody(data []byte, n int) []byte {
	var body []byte
	for _, m := range objHeader.FindAllSubmatchIndex(data, -1) {
		if k, err := strconv.Atoi(string(data[m[2]:m[3]])); err == nil && k == n {
			body = data[m[1]:]
			if e := bytes.Index(body, []byte("endobj")); e >= 0 {
				body = body[:e]
			}
		}
	}
	return body
}

// decryptObjects returns a copy of data with the strings and streams of
// every object but skip (the encryption dictionary) and cross-reference
// streams decrypted with key, strings written as hex.
func decryptObjects(data, key []byte, skip int) []byte {
	out := make([]byte, 0, len(data)+len(data)/8)
	ms := objHeader.FindAllSubmatchIndex(data, -1)
	// Where each object's text starts (its last definition), for the
	// lengths of streams given as references.
	starts := map[int]int{}
	for _, m := range ms {
		if n, err := strconv.Atoi(string(data[m[2]:m[3]])); err == nil {
			starts[n] = m[1]
		}
	}
	lengthOf := func(n int) int {
		at, ok := starts[n]
		if !ok {
			return -1
		}
		body := data[at:min(len(data), at+64)]
		if e := bytes.Index(body, []byte("endobj")); e >= 0 {
			body = body[:e]
		}
		if l, err := strconv.Atoi(string(bytes.TrimSpace(body))); err == nil {
			return l
		}
		return -1
	}
	at := 0
	for i, m := range ms {
		num, err1 := strconv.Atoi(string(data[m[2]:m[3]]))
		gen, err2 := strconv.Atoi(string(data[m[4]:m[5]]))
		// A match inside an object already done (stream data, say) is
		// not an object.
		if m[1] < at || err1 != nil || err2 != nil || num == skip {
			continue
		}
		end := len(data)
		if i+1 < len(ms) {
			end = ms[i+1][0]
		}
		if bytes.Contains(data[m[1]:min(end, m[1]+512)], []byte("/XRef")) {
			continue // cross-reference streams are not encrypted
		}
		h := md5.New()
		h.Write(key)
		h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
		ok := h.Sum(nil)[:min(len(key)+5, 16)]
		out = append(out, data[at:m[1]]...)
		var used int
		out, used = decryptBody(out, data[m[1]:], ok, lengthOf)
		at = m[1] + used
	}
	return append(out, data[at:]...)
}

// decryptBody appends one object's text (body starts after "obj"), up to
// its endobj, with its strings and stream data decrypted with the object
// key k, and returns how many bytes of body that was.
func decryptBody(out, body, k []byte, lengthOf func(int) int) ([]byte, int) {
	crypt := func(b []byte) []byte {
		c, _ := rc4.NewCipher(k)
		dst := make([]byte, len(b))
		c.XORKeyStream(dst, b)
		return dst
	}
	hexOf := func(b []byte) []byte {
		out := make([]byte, 0, 2*len(b)+2)
		out = append(out, '<')
		out = hex.AppendEncode(out, b)
		return append(out, '>')
	}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == 'e' && bytes.HasPrefix(body[i:], []byte("endobj")) && (i == 0 || isPDFSpace(body[i-1]) || isPDFDelim(body[i-1])):
			return out, i
		case c == '%':
			e := bytes.IndexAny(body[i:], "\r\n")
			if e < 0 {
				e = len(body) - i
			}
			out = append(out, body[i:i+e]...)
			i += e
		case c == '(':
			lx := pdfLexer{b: body, pos: i}
			s := lx.literal()
			out = append(out, hexOf(crypt([]byte(s)))...)
			i = lx.pos
		case c == '<' && i+1 < len(body) && body[i+1] == '<':
			out = append(out, "<<"...)
			i += 2
		case c == '<':
			lx := pdfLexer{b: body, pos: i}
			s := lx.hex()
			out = append(out, hexOf(crypt([]byte(s)))...)
			i = lx.pos
		case c == 's' && bytes.HasPrefix(body[i:], []byte("stream")) && (i == 0 || isPDFSpace(body[i-1]) || body[i-1] == '>'):
			j := i + len("stream")
			if j < len(body) && body[j] == '\r' {
				j++
			}
			if j < len(body) && body[j] == '\n' {
				j++
			}
			out = append(out, body[i:j]...)
			l := streamLength(body[:i], lengthOf)
			if l >= 0 && j+l > len(body) {
				l = -1
			}
			if l < 0 || j+l > len(body) {
				l = bytes.Index(body[j:], []byte("endstream"))
				if l < 0 {
					l = len(body) - j
				}
			}
			out = append(out, crypt(body[j:j+l])...)
			i = j + l
		default:
			out = append(out, c)
			i++
		}
	}
	return out, len(body)
}

// streamLength reads /Length from a stream's dictionary, direct or as a
// reference (lengthOf reads the object); -1 when it cannot.
func streamLength(dict []byte, lengthOf func(int) int) int {
	ms := objStmLen.FindAllSubmatch(dict, -1)
	if len(ms) == 0 {
		return -1
	}
	m := ms[len(ms)-1]
	v, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return -1
	}
	if len(m[2]) == 0 {
		return v
	}
	return lengthOf(v)
}
