#!/bin/sh
# style.clang_format: every C file of the tree is as clang-format writes
# it with the project's .clang-format files (LLVM style; examples/ has
# its own). The tree is formatted with clang-format 14, Debian 12's:
# another version may format differently, so the check is skipped
# (exit 77) rather than failed there. `make format` applies the style.
# Usage: check_format.sh SOURCE_DIR [--fix]
set -eu
src=$1
cf=$(command -v clang-format || true)
if [ -z "$cf" ]; then
  echo "style.clang_format: clang-format not found (make deps installs it)"
  exit 1
fi
major=$("$cf" --version | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p')
if [ "$major" != 14 ]; then
  echo "style.clang_format: skipped: clang-format $major, the tree is formatted with 14"
  exit 77
fi
cd "$src"
files=$(find include lib examples tests \( -name '*.c' -o -name '*.h' \) \
  -not -path 'tests/fuzz/corpus/*' -not -path 'tests/fuzz/regressions/*' | sort)
if [ "${2:-}" = --fix ]; then
  exec "$cf" -i $files
fi
"$cf" --dry-run --Werror $files
echo "style.clang_format: $(echo "$files" | wc -l) files as clang-format writes them"
