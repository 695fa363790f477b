#!/usr/bin/env bash
# The batch benchmark of docs/performance.md, on the release binary. Not a test: it measures
# and prints figures; it enforces nothing.
#
#   benches/bench.sh [COUNT] [JOBS]        # defaults: 1000 forms, 0 = one job per core
#
# Needs hyperfine and GNU time (/usr/bin/time): apt-get install -y hyperfine time.
# Figures:
#   (a) one form end to end in a fresh process (render of the seed project form, PDF + XLSX):
#       median wall time (hyperfine) and peak RSS (GNU time, largest of 5 runs);
#   (b) COUNT generated forms (`jixiao sample`) to PDF and XLSX: median wall time of 3 runs,
#       forms per second, peak RSS; the same with --workbook;
#   (c) the bare Typst compile of the same documents in one process (benches/pipeline.rs), and
#       the ratio of (b)'s per-form time to it; plus a per-stage breakdown on one thread.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-1000}
JOBS=${2:-0}
WORK=${BENCH_DIR:-/tmp/jixiao-bench}
BIN=target/release/jixiao
ONE=data/chaisang-2023-project.yaml

for tool in hyperfine /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing" >&2; exit 2; }
done

cargo build --release --quiet
cargo bench --bench pipeline --no-run --quiet 2>/dev/null

rm -rf "$WORK"
mkdir -p "$WORK"
"$BIN" sample --count "$COUNT" --out "$WORK/in" 2>/dev/null

median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
# Peak RSS in MiB: the largest of N runs of the command (GNU time's %M is in KiB).
peak_rss() {
    local n=$1; shift
    local max=0
    for _ in $(seq "$n"); do
        local kb
        # GNU time prints %M last on stderr, after whatever the command printed there.
        kb=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1)
        (( kb > max )) && max=$kb
    done
    python3 -c "print(f'{$max/1024:.1f}')"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jobs: $JOBS (0 = one per core)"

# (a) One form, fresh process.
hyperfine --style none --warmup 3 --runs 30 --export-json "$WORK/one.json" \
    --prepare "rm -rf $WORK/one" "$BIN render $ONE -o $WORK/one" >/dev/null 2>&1
one_ms=$(python3 -c "print(f'{$(median "$WORK/one.json")*1000:.1f}')")
one_rss=$(peak_rss 5 "$BIN" render "$ONE" -o "$WORK/one")
echo "one_form_median_ms: $one_ms"
echo "one_form_peak_rss_mb: $one_rss"

# (b) COUNT forms to PDF and XLSX, then with the workbook.
hyperfine --style none --runs 3 --export-json "$WORK/batch.json" \
    --prepare "rm -rf $WORK/out" "$BIN render $WORK/in -o $WORK/out -j $JOBS" >/dev/null 2>&1
batch_s=$(median "$WORK/batch.json")
batch_rss=$(peak_rss 1 "$BIN" render "$WORK/in" -o "$WORK/out" -j "$JOBS")
python3 -c "s=$batch_s; n=$COUNT; print(f'batch_median_s: {s:.2f}'); print(f'batch_forms_per_s: {n/s:.1f}'); print(f'batch_ms_per_form: {s*1000/n:.2f}')"
echo "batch_peak_rss_mb: $batch_rss"

hyperfine --style none --runs 3 --export-json "$WORK/book.json" \
    --prepare "rm -rf $WORK/out $WORK/all.xlsx" \
    "$BIN render $WORK/in -o $WORK/out -j $JOBS --workbook $WORK/all.xlsx" >/dev/null 2>&1
book_s=$(median "$WORK/book.json")
book_rss=$(peak_rss 1 "$BIN" render "$WORK/in" -o "$WORK/out" -j "$JOBS" --workbook "$WORK/all.xlsx")
python3 -c "s=$book_s; n=$COUNT; print(f'workbook_batch_median_s: {s:.2f}'); print(f'workbook_batch_forms_per_s: {n/s:.1f}')"
echo "workbook_batch_peak_rss_mb: $book_rss"
echo "workbook_mb: $(python3 -c "import os; print(f'{os.path.getsize(\"$WORK/all.xlsx\")/1e6:.1f}')")"

# (c) Bare Typst on the same documents, same jobs, in one process; stage breakdown.
cargo bench --quiet --bench pipeline -- "$WORK/in" -j "$JOBS" 2>/dev/null | tee "$WORK/pipeline.txt"
typst_ms=$(grep '^typst_only_ms_per_form:' "$WORK/pipeline.txt" | cut -d' ' -f2)
python3 -c "print(f'ratio_render_to_typst: {($batch_s*1000/$COUNT)/$typst_ms:.2f}')"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
