#!/usr/bin/env bash
# Smoke test of the one-folder bundle (make package-test):
#
#   bash packaging/smoke_test.sh dist/briefer
#
# Runs the frozen program the way a user would, in throwaway HOME and data
# folders: --version, the fact store, a headless export to DOCX that
# python-docx opens and LibreOffice converts to PDF, HTML/Markdown exports,
# templates, backup/restore, and the window starting offscreen and closing
# cleanly.  Prints one line a check; exits non-zero on the first failure.
set -euo pipefail

bundle=${1:-dist/briefer}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exe=$bundle/briefer
py=$repo/.venv/bin/python
[ -x "$py" ] || py=$(command -v python3)

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { printf 'ok   %-58s %s\n' "$1" "${2:-}"; }
now_ms() { date +%s%3N; }

[ -x "$exe" ] || fail "$exe not found: build the bundle first (make package)"
bundle=$(cd "$bundle" && pwd)
exe=$bundle/briefer

work=$(mktemp -d -t briefer-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
# nothing the frozen program does may touch the real user folders
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config
export XDG_CACHE_HOME=$work/home/.cache XDG_STATE_HOME=$work/home/.local/state
export XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset BRIEFER_DATA_DIR PYTHONPATH PYTHONHOME
data=$work/data
out=$work/out
mkdir -p "$out"

run() {  # run the frozen program; keep its output for the failure message
  local log=$work/last.log
  if ! "$exe" "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "briefer $*"
  fi
  if grep -q "Traceback (most recent call last)" "$log"; then
    cat "$log" >&2
    fail "briefer $* printed a traceback"
  fi
}

# 1. version: the bundle's, the source's and the program's agree
t=$(now_ms)
got=$("$exe" --version)
want="briefer $(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$repo/briefer/__init__.py")"
[ "$got" = "$want" ] || fail "--version says '$got', the source says '$want'"
[ "$got" = "briefer $(cat "$bundle/VERSION")" ] || fail "--version '$got' differs from $bundle/VERSION"
pass "briefer --version" "$got ($(($(now_ms) - t)) ms)"

# 2. the fact store is created from the bundled fact pack and seeds
t=$(now_ms)
run --data-dir "$data" facts check
facts=$("$exe" --data-dir "$data" facts list --json | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$facts" -ge 50 ] || fail "the new store holds only $facts facts"
pass "new store from the bundled fact pack" "$facts facts ($(($(now_ms) - t)) ms)"

# 3. a headless export to DOCX that python-docx opens
t=$(now_ms)
docx=$out/briefing.docx
run --data-dir "$data" export --out "$docx" --title "Smoke test briefing"
[ -s "$docx" ] || fail "export wrote no $docx"
"$py" - "$docx" <<'EOF' || fail "python-docx could not read the exported DOCX"
import sys, zipfile
import docx
path = sys.argv[1]
d = docx.Document(path)
text = "\n".join(p.text for p in d.paragraphs)
assert "Smoke test briefing" in text, "the title is missing"
assert len(d.paragraphs) > 20, f"only {len(d.paragraphs)} paragraphs"
names = zipfile.ZipFile(path).namelist()
assert "word/footnotes.xml" in names, "no footnotes part"
footnotes = zipfile.ZipFile(path).read("word/footnotes.xml").decode()
n = footnotes.count("<w:footnote ") - 2  # minus the separator footnotes
assert n > 20, f"only {n} footnotes"
print(f"{len(d.paragraphs)} paragraphs, {n} footnotes")
EOF
pass "export DOCX, read back with python-docx" "$(($(now_ms) - t)) ms"

# 4. LibreOffice converts it
t=$(now_ms)
soffice=$(command -v soffice || command -v libreoffice || true)
[ -n "$soffice" ] || fail "LibreOffice (soffice) is not installed: run 'make system-deps' as root"
profile=$work/lo-profile
timeout 180 "$soffice" "-env:UserInstallation=file://$profile" --headless --convert-to pdf --outdir "$out" "$docx" \
  >"$work/soffice.log" 2>&1 || { cat "$work/soffice.log" >&2; fail "soffice failed"; }
pdf=$out/briefing.pdf
[ -s "$pdf" ] || { cat "$work/soffice.log" >&2; fail "LibreOffice wrote no PDF"; }
pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p' || true)
if [ -n "$pages" ]; then
  [ "$pages" -ge 2 ] || fail "the PDF has only $pages page(s)"
  pdftotext "$pdf" "$work/pdf.txt"
  grep -q "Smoke test briefing" "$work/pdf.txt" || fail "the PDF does not show the title"
fi
pass "LibreOffice converts the DOCX to PDF" "${pages:-?} pages ($(($(now_ms) - t)) ms)"

# 5. the other formats and the built-in templates (resources found when frozen)
t=$(now_ms)
run --data-dir "$data" export --out "$out/briefing.html" --format html
grep -qi "<html" "$out/briefing.html" || fail "the HTML export is not HTML"
run --data-dir "$data" export --out "$out/briefing.md" --format md
[ -s "$out/briefing.md" ] || fail "the Markdown export is empty"
templates=$("$exe" --data-dir "$data" templates list --json | "$py" -c \
  'import json,sys; print(sum(1 for t in json.load(sys.stdin) if t["builtin"]))')
[ "$templates" -ge 4 ] || fail "only $templates built-in templates found in the bundle"
run --data-dir "$data" export --template one-page-brief --out "$out/one-page.docx"
pass "HTML, Markdown, $templates built-in templates" "$(($(now_ms) - t)) ms"

# 6. backup and restore
t=$(now_ms)
run --data-dir "$data" backup "$out/backup.briefer-backup.zip"
run --data-dir "$work/restored" restore "$out/backup.briefer-backup.zip"
restored=$("$exe" --data-dir "$work/restored" facts list --json | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$restored" = "$facts" ] || fail "restored $restored facts, expected $facts"
pass "backup and restore" "$(($(now_ms) - t)) ms"

# 7. the window starts offscreen and closes cleanly (BRIEFER_SMOKE_QUIT_MS: see packaging/briefer_main.py)
t=$(now_ms)
shot=$out/window.png
set +e
QT_QPA_PLATFORM=offscreen BRIEFER_SMOKE_QUIT_MS=${BRIEFER_SMOKE_QUIT_MS:-4000} BRIEFER_SMOKE_SHOT=$shot \
  timeout 120 "$exe" --data-dir "$work/gui-data" gui >"$work/gui.log" 2>&1
status=$?
set -e
if [ $status -ne 0 ] || grep -q "Traceback" "$work/gui.log"; then
  cat "$work/gui.log" >&2
  fail "the window exited with status $status"
fi
grep -q "briefer-smoke: visible windows: .*MainWindow" "$work/gui.log" || { cat "$work/gui.log" >&2; fail "no main window was shown"; }
[ -s "$shot" ] || fail "no picture of the window was saved"
[ -f "$work/gui-data/briefer.sqlite3" ] || fail "the window did not open the store"
size=$("$py" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$shot")
pass "window opens offscreen and closes cleanly" "$size ($(($(now_ms) - t)) ms)"
if [ -n "${BRIEFER_SMOKE_KEEP:-}" ]; then
  mkdir -p "$BRIEFER_SMOKE_KEEP" && cp -r "$out"/. "$BRIEFER_SMOKE_KEEP"/
fi

echo "smoke test passed: $(du -sh "$bundle" | cut -f1) bundle at $bundle"
