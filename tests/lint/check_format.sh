#!/bin/sh
# check_format.sh SRC_DIR — every C file of the tree follows .clang-format.
# Exit 0 when all do, 1 listing the ones that don't, 77 (skip) without
# clang-format. Reformat with:  clang-format -i $(git ls-files '*.c' '*.h')
set -eu
src=${1:?usage: check_format.sh SRC_DIR}
cd "$src"
fmt=""
for c in clang-format clang-format-14 clang-format-15 clang-format-16; do
    if command -v "$c" >/dev/null 2>&1; then fmt=$c; break; fi
done
if [ -z "$fmt" ]; then
    echo "check_format: clang-format is not installed (deploy/deps.sh test installs it)"
    exit 77
fi
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files '*.c' '*.h')
else
    files=$(find kiosk tests -name '*.[ch]' | sort)
fi
bad=0
for f in $files; do
    [ -f "$f" ] || continue
    if ! "$fmt" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f"
        bad=$((bad + 1))
    fi
done
n=$(echo "$files" | wc -w)
if [ "$bad" -ne 0 ]; then
    echo "check_format: $bad of $n files differ from .clang-format ($("$fmt" --version))"
    echo "fix with: clang-format -i FILE..."
    exit 1
fi
echo "check_format: all $n C files follow .clang-format"
