#!/usr/bin/env bash
# check_links.pl must find what it looks for: a throwaway repository with one of each problem
# (and links it must accept) gives exactly these lines and exit 1.
set -euo pipefail
checker="$(cd "$(dirname "$0")" && pwd)/check_links.pl"
repo="$(mktemp -d)"
trap 'rm -rf "$repo"' EXIT
mkdir -p "$repo/docs" "$repo/config"
touch "$repo/config/x.json"
cat > "$repo/README.md" <<'MD'
# Top
[ok](docs/a.md) [ok](docs/a.md#быстрый-старт-за-5-минут) [ok](config/x.json) [web](https://example.org/x)
[missing](docs/nope.md) [bad anchor](docs/a.md#nope) [up](../outside.md)
`[in code](docs/nope.md)`
MD
cat > "$repo/docs/a.md" <<'MD'
# Быстрый старт: за 5 минут!
## `region.schools: "all"`: every organisation
## Twice
## Twice
[ok](#regionschools-all-every-organisation) [ok](#twice-1) [ok](../README.md#top) [ok](a.md)
[no](#twice-2) See DESIGN.md and ../shared/STYLE.md; it comes in later issues.
```
[in a fence](nope.md) DESIGN.md
```
MD
set +e
out="$("$checker" "$repo")"
status=$?
set -e
expected="README.md:3: link to docs/nope.md: no such file in the repository
README.md:3: link to docs/a.md#nope: docs/a.md has no heading with that anchor
README.md:3: link to ../outside.md: no such file in the repository
docs/a.md:6: names DESIGN.md, which is not in the repository
docs/a.md:6: points outside the repository (../shared)
docs/a.md:6: promises \"later issues\": say what is there now
docs/a.md:6: link to #twice-2: docs/a.md has no heading with that anchor
2 document(s) checked, 7 problem(s)"
if [ "$status" -ne 1 ] || [ "$out" != "$expected" ]; then
  echo "check_links.pl: exit $status, output:"
  echo "$out"
  echo "expected exit 1 and:"
  echo "$expected"
  exit 1
fi
echo "check_links.pl finds every planted problem"
