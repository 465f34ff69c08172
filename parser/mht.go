package parser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// ReadMHT reads a MIME web archive (multipart/related, as Word, WPS and
// Internet Explorer save "single file web pages", sometimes named .doc): it
// finds the text/html part, undoes its Content-Transfer-Encoding, and reads
// it with ReadHTML. The part's charset parameter is used the way
// Options.Charset is (rule "caller"), and only if the bytes decode cleanly
// under it.
func ReadMHT(ctx context.Context, path string, data []byte, opts Options) (*Document, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxFileBytes {
		return nil, &Error{Path: path, Err: fmt.Errorf("%d bytes, limit %d: %w", len(data), lim.MaxFileBytes, ErrTooLarge)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Path: path, Err: ErrEmpty}
	}
	if looksBinary(data) {
		return nil, &Error{Path: path, Err: fmt.Errorf("binary data, not text: %w", ErrFormat)}
	}
	body, charset, where, err := mhtHTMLPart(data, lim)
	if err != nil {
		return nil, &Error{Path: path, Where: where, Err: err}
	}
	if charset != "" {
		opts.Charset = charset
	}
	doc, err := ReadHTML(ctx, path, body, opts)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Where == "" {
			e.Where = where
		}
	}
	return doc, err
}

// mhtHTMLPart returns the decoded body of the first text/html part of a MIME
// message, its charset parameter, and a description of where it was found.
func mhtHTMLPart(data []byte, lim Limits) (body []byte, charset, where string, err error) {
	data = bytes.TrimLeft(data, "\xef\xbb\xbf \t\r\n")
	br := bufio.NewReader(bytes.NewReader(data))
	hdr, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil && len(hdr) == 0 {
		return nil, "", "MIME header", fmt.Errorf("not a MIME message: %v: %w", err, ErrFormat)
	}
	ct := hdr.Get("Content-Type")
	if ct == "" {
		return nil, "", "MIME header", fmt.Errorf("no Content-Type header: %w", ErrFormat)
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, "", "MIME header", fmt.Errorf("Content-Type %q: %v: %w", ct, err, ErrFormat)
	}
	if mediaType == "text/html" {
		body, err := decodeTransfer(br, hdr.Get("Content-Transfer-Encoding"), lim)
		return body, params["charset"], "MIME body", err
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		return nil, "", "MIME header", fmt.Errorf("Content-Type %s, want multipart/related: %w", mediaType, ErrFormat)
	}
	parts := 0
	return mhtMultipart(br, params["boundary"], "MIME", lim, &parts, 0)
}

// mhtMaxNesting bounds multiparts inside multiparts (an archive holding a
// multipart/alternative, say).
const mhtMaxNesting = 4

// mhtMultipart searches the parts of one multipart body for text/html.
// parts counts the parts seen so far, against Limits.MaxParts.
func mhtMultipart(r io.Reader, boundary, where string, lim Limits, parts *int, depth int) (body []byte, charset, at string, err error) {
	if boundary == "" {
		return nil, "", where, fmt.Errorf("multipart without a boundary: %w", ErrFormat)
	}
	mr := multipart.NewReader(r, boundary)
	for i := 1; ; i++ {
		*parts++
		if *parts > lim.MaxParts {
			return nil, "", where, fmt.Errorf("more than %d parts: %w", lim.MaxParts, ErrTooLarge)
		}
		// NextRawPart leaves the transfer encoding alone, so that
		// quoted-printable and base64 are undone the same way.
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil, "", where + " parts", fmt.Errorf("no text/html part: %w", ErrNoContent)
		}
		here := fmt.Sprintf("%s part %d", where, i)
		if err != nil {
			return nil, "", here, fmt.Errorf("%v: %w", err, ErrCorrupt)
		}
		mt, pp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch {
		case err != nil:
			continue
		case strings.HasPrefix(mt, "multipart/") && depth < mhtMaxNesting:
			body, cs, at, err := mhtMultipart(p, pp["boundary"], here, lim, parts, depth+1)
			if errors.Is(err, ErrNoContent) {
				continue
			}
			return body, cs, at, err
		case mt != "text/html":
			continue
		}
		if loc := p.Header.Get("Content-Location"); loc != "" {
			here = fmt.Sprintf("%s (%s)", here, loc)
		}
		body, err := decodeTransfer(p, p.Header.Get("Content-Transfer-Encoding"), lim)
		return body, pp["charset"], here, err
	}
}

// decodeTransfer reads a part body and undoes its Content-Transfer-Encoding,
// refusing to produce more than MaxPartBytes.
func decodeTransfer(r io.Reader, encoding string, lim Limits) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &spaceStripper{r: r})
	case "", "7bit", "8bit", "binary":
	default:
		return nil, fmt.Errorf("Content-Transfer-Encoding %q: %w", encoding, ErrFormat)
	}
	body, err := io.ReadAll(io.LimitReader(r, lim.MaxPartBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s body: %v: %w", encoding, err, ErrCorrupt)
	}
	if int64(len(body)) > lim.MaxPartBytes {
		return nil, fmt.Errorf("part over %d bytes: %w", lim.MaxPartBytes, ErrTooLarge)
	}
	return body, nil
}

// spaceStripper drops the whitespace base64 bodies are wrapped with
// (encoding/base64 skips only CR and LF).
type spaceStripper struct{ r io.Reader }

func (s *spaceStripper) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		k := 0
		for _, b := range p[:n] {
			if b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f' {
				p[k] = b
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}
