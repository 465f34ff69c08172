"""Reads every DOCX or HTML file of a directory with a Python library, doing
the least a report reader must: reaching every table cell. Used by
scripts/bench-corpus.sh to compare ogi with what a user could pick instead.

Usage: bench_alt.py docx|html DIR
"""

import os
import sys


def files(root, exts):
    for dirpath, _, names in os.walk(root):
        for name in sorted(names):
            if name.lower().endswith(exts):
                yield os.path.join(dirpath, name)


def read_docx(path):
    import docx

    cells = 0
    for table in docx.Document(path).tables:
        for row in table.rows:
            for cell in row.cells:
                cell.text
                cells += 1
    return cells


def read_html(path):
    import lxml.html

    with open(path, "rb") as f:
        root = lxml.html.fromstring(f.read())
    return sum(1 for _ in root.iter("td", "th"))


def main():
    kind, root = sys.argv[1], sys.argv[2]
    read, exts = {"docx": (read_docx, (".docx",)), "html": (read_html, (".html", ".htm"))}[kind]
    n = failed = cells = 0
    for path in files(root, exts):
        n += 1
        try:
            cells += read(path)
        except Exception as e:  # a file the library cannot read still counts as done
            failed += 1
            print(f"{path}: {e}", file=sys.stderr)
    print(f"{kind}: {n} files, {cells} cells, {failed} failed", file=sys.stderr)


if __name__ == "__main__":
    main()
