#!/usr/bin/env bash
# The catalog is complete: every message the sources make (mapping::msg/msg_n/append_msg,
# daemon tr/tr_n) has a Russian translation in po/ru/*.po, not fuzzy, with the same {named}
# placeholders as its English text. Fails naming each message that lacks one.
# Usage: check_catalog.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1
work=$2
mkdir -p "$work"
cd "$src"
mapfile -t sources < <(find mapping daemon adapters -name '*.cpp' -o -name '*.h' | sort)
# With a header the .pot is UTF-8: without one, xgettext would drop «», → and − from msgids.
xgettext --language=C++ --from-code=UTF-8 --sort-output --force-po \
  --keyword= --keyword=msg:1c,2 --keyword=msg_n:1c,2,3 --keyword=append_msg:2c,3 \
  --keyword=tr:1c,2 --keyword=tr_n:1c,2,3 \
  -o "$work/rosterd.pot" "${sources[@]}"
# Every message's {named} placeholders are a format: msgfmt --check then compares them.
sed -i 's/^msgctxt /#, python-brace-format\nmsgctxt /' "$work/rosterd.pot"
msgcat --use-first --to-code=UTF-8 -o "$work/ru.po" po/ru/*.po
# Every message of the sources is translated (msgcmp counts untranslated and fuzzy as missing).
msgcmp "$work/ru.po" "$work/rosterd.pot"
# The translations keep the placeholders: the flags come from the sources, the words from po/.
msgmerge --quiet --no-fuzzy-matching -o "$work/checked.po" "$work/ru.po" "$work/rosterd.pot"
msgfmt --check --use-fuzzy -o /dev/null "$work/checked.po"
echo "catalog: $(grep -c '^msgid ' "$work/rosterd.pot") messages, all translated"
