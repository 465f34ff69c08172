package parser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidFixtures reads each file of fixtures/invalid and checks the
// error it must produce, or for misnamed web pages the reader they reach.
func TestInvalidFixtures(t *testing.T) {
	tests := []struct {
		file     string
		cause    error  // nil: must read
		contains string // in the error message, or the first paragraph
	}{
		{"empty.docx", ErrEmpty, "empty file (0 bytes"},
		{"whitespace.docx", ErrEmpty, "nothing but whitespace"},
		{"truncated.docx", ErrCorrupt, "truncated"},
		{"corrupt.docx", ErrCorrupt, "word/document.xml: corrupt or truncated file: damaged compressed data"},
		{"no-document.docx", ErrNoContent, "no word/document.xml"},
		{"spreadsheet.docx", ErrNoContent, "main part is <workbook>"},
		{"ole-legacy.docx", ErrLegacyDoc, "legacy binary Word/WPS document"},
		{"encrypted.docx", ErrEncrypted, "EncryptedPackage"},
		{"garbage.html", ErrFormat, "binary data"},
		{"html-named.doc", nil, "某某县人民政府2024年政府信息公开工作年度报告"},
		{"mht-named.doc", nil, "某某县人民政府2024年政府信息公开工作年度报告"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(fixturesDir, "invalid", tt.file)
			doc, err := ReadFile(context.Background(), path, Options{})
			if tt.cause == nil {
				if err != nil {
					t.Fatalf("ReadFile = %v, want a document", err)
				}
				if doc.Format != FormatHTML {
					t.Errorf("Format = %q, want html", doc.Format)
				}
				if p := docxParas(doc); len(p) == 0 || p[0] != tt.contains {
					t.Errorf("paragraphs = %q, want first %q", p, tt.contains)
				}
				return
			}
			if !errors.Is(err, tt.cause) {
				t.Fatalf("ReadFile = %v, want %v", err, tt.cause)
			}
			var e *Error
			if !errors.As(err, &e) || e.Path != path {
				t.Errorf("error %#v is not an *Error naming %s", err, path)
			}
			if !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q: want it to start with the path and contain %q", err, tt.contains)
			}
			if doc != nil {
				t.Errorf("doc = %v beside error, want nil", doc)
			}
		})
	}
}

// TestSniff: the real type comes from the bytes, not the name.
func TestSniff(t *testing.T) {
	tests := []struct {
		name, path, data string
		cause            error  // nil: must read as HTML
		contains         string // in the error
	}{
		{"doctype named .txt", "a.txt", "<!DOCTYPE html><html><body><p>正文</p></body></html>", nil, ""},
		{"upper-case HTML named .docx", "a.docx", "\r\n  <HTML><BODY><P>正文</P></BODY></HTML>", nil, ""},
		{"BOM then html", "a.doc", "\xEF\xBB\xBF<html><body><p>正文</p></body></html>", nil, ""},
		{"xml declaration then html", "a.doc", `<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body><p>正文</p></body></html>`, nil, ""},
		{"bare table", "a.xls", "<table><tr><td>正文</td></tr></table>", nil, ""},
		{"meta first", "a.wps", `<meta charset="utf-8"><p>正文</p>`, nil, ""},
		{"text named .html", "a.html", "正文", nil, ""},
		{"mht", "a.doc", "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n<html><body><p>正文</p></body></html>\r\n--b--\r\n", nil, ""},
		{"mht with From first", "a.mht", "From: <Saved by Windows Internet Explorer 8>\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n<html><body><p>正文</p></body></html>\r\n--b--\r\n", nil, ""},
		{"plain text named .docx", "a.docx", "一、总体情况\n正文", ErrFormat, `plain text starting "一、总体情况"`},
		{"xml that is not html", "a.docx", `<?xml version="1.0"?><root/>`, ErrFormat, "plain text"},
		{"truncated pdf named .docx", "a.docx", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", ErrCorrupt, "damaged PDF"},
		{"rtf named .doc", "a.doc", `{\rtf1\ansi\ansicpg936 正文}`, ErrFormat, "RTF"},
		{"png named .html", "a.html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrFormat, "PNG image"},
		{"NUL bytes named .htm", "a.htm", "abc\x00\x00\x00def", ErrFormat, "3 NUL bytes"},
		{"control bytes", "a.html", strings.Repeat("\x01\x02\x03\x04a", 100), ErrFormat, "control bytes"},
		{"empty zip", "a.docx", "PK\x05\x06" + strings.Repeat("\x00", 18), ErrNoContent, "the zip archive is empty"},
		{"zip magic only", "a.docx", "PK\x03\x04garbage", ErrCorrupt, "not a readable zip archive"},
		{"OLE magic, tiny", "a.docx", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", ErrLegacyDoc, "legacy"},
		{"BOM only", "a.html", "\xEF\xBB\xBF \n", ErrEmpty, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), tt.path, []byte(tt.data), Options{})
			if tt.cause == nil {
				if err != nil {
					t.Fatalf("Read(context.Background(), %s) = %v, want a document", tt.path, err)
				}
				if doc.Format != FormatHTML {
					t.Errorf("Format = %q, want html", doc.Format)
				}
				return
			}
			if !errors.Is(err, tt.cause) || !strings.HasPrefix(err.Error(), tt.path+": ") || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Read(context.Background(), %s) = %v, want %v naming the file and containing %q", tt.path, err, tt.cause, tt.contains)
			}
		})
	}
}

func TestReadFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.docx")
	if err := os.WriteFile(big, make([]byte, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(context.Background(), big, Options{Limits: Limits{MaxFileBytes: 1024}})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), big+": over a configured limit: file is 4096 bytes, limit 1024") {
		t.Errorf("ReadFile = %v, want ErrTooLarge before reading", err)
	}
	_, err = ReadFile(context.Background(), filepath.Join(dir, "missing.docx"), Options{})
	var e *Error
	if !errors.Is(err, os.ErrNotExist) || !errors.As(err, &e) {
		t.Errorf("ReadFile(context.Background(), missing) = %v, want an *Error wrapping os.ErrNotExist", err)
	}
	_, err = ReadFile(context.Background(), dir, Options{})
	if !errors.Is(err, ErrFormat) {
		t.Errorf("ReadFile(context.Background(), dir) = %v, want ErrFormat", err)
	}
}

func TestReadFileSeed(t *testing.T) {
	path := filepath.Join(fixturesDir, "seed-report.docx")
	doc, err := ReadFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Path != path || doc.Format != FormatDOCX || len(docxTables(doc)) != 3 {
		t.Errorf("ReadFile = path %q format %q with %d tables", doc.Path, doc.Format, len(docxTables(doc)))
	}
}

func TestReadStopsWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{"seed-report.docx", "seed-report.html"} {
		data, err := os.ReadFile(filepath.Join("..", "fixtures", name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Read(ctx, name, data, Options{})
		if !errors.Is(err, ErrCanceled) || !errors.Is(err, context.Canceled) {
			t.Errorf("Read(%s) with a cancelled context = %v, want ErrCanceled wrapping context.Canceled", name, err)
		}
	}
}
