#!/usr/bin/env bash
# The batch benchmark of docs/performance.md, on the release binary. Not a test: it measures
# and prints figures; it enforces nothing.
#
#   benches/bench.sh [COUNT] [JOBS]        # defaults: 1000 forms, 0 = one job per core
#
# Needs hyperfine, GNU time (/usr/bin/time) and python3: apt-get install -y hyperfine time.
# Figures (one `key: value` line each):
#   (a) one form end to end in a fresh process (render of each seed form, PDF + XLSX):
#       median wall time and mean CPU time (hyperfine), peak RSS (GNU time, largest of 5 runs);
#   (b) COUNT generated forms (`jixiao sample`) to PDF and XLSX: median wall time of 3 runs,
#       forms per second; CPU time and peak RSS (GNU time); the same with --workbook; the same
#       with --workbook and --merge (the bureau's batch, one run);
#   (c) the bare Typst compile of the same documents in one process (benches/pipeline.rs), and
#       the ratio of (b)'s per-form time to it, in wall and in CPU time; plus a per-stage
#       breakdown on one thread.
# CPU time (user + system) is reported beside wall time because it does not depend on what
# else the machine is running; wall time does.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-1000}
JOBS=${2:-0}
WORK=${BENCH_DIR:-/tmp/jixiao-bench}
# BENCH_BIN: measure another build (the dev profile, `target/debug/jixiao`, on a machine where a
# release build of Typst is too expensive; say so beside the figures).
BIN=${BENCH_BIN:-target/release/jixiao}
ONE=data/chaisang-2023-project.yaml

for tool in hyperfine /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing" >&2; exit 2; }
done

[ -n "${BENCH_BIN:-}" ] || cargo build --release --quiet
cargo bench --bench pipeline --no-run --quiet 2>/dev/null

rm -rf "$WORK"
mkdir -p "$WORK"
"$BIN" sample --count "$COUNT" --out "$WORK/in" 2>/dev/null

# Field of hyperfine's JSON export, first benchmark.
hf() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0][sys.argv[2]])' "$1" "$2"; }
# One run under GNU time: prints "cpu_s peak_kib" (user + system; maximum resident set).
gnu_time() { /usr/bin/time -f '%U %S %M' "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2, $3}'; }
calc() { python3 -c "print($1)"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "forms: $COUNT"
echo "jobs: $JOBS (0 = one per core)"

# (a) One form, fresh process: the one-page project form and the two-page department form.
one_form() { # KEY FILE
    hyperfine --style none --warmup 3 --runs 30 --export-json "$WORK/$1.json" \
        --prepare "rm -rf $WORK/one" "$BIN render $2 -o $WORK/one" >/dev/null 2>&1
    echo "${1}_median_ms: $(calc "f'{$(hf "$WORK/$1.json" median) * 1000:.1f}'")"
    echo "${1}_mean_cpu_ms: $(calc "f'{($(hf "$WORK/$1.json" user) + $(hf "$WORK/$1.json" system)) * 1000:.1f}'")"
    local max_kb=0 kb
    for _ in 1 2 3 4 5; do
        read -r _ kb < <(gnu_time "$BIN" render "$2" -o "$WORK/one")
        (( kb > max_kb )) && max_kb=$kb
    done
    echo "${1}_peak_rss_mb: $(calc "f'{$max_kb / 1024:.1f}'")"
}
one_form one_form "$ONE"
one_form one_department_form data/chaisang-2023-department.yaml

# (b) COUNT forms to PDF and XLSX.
hyperfine --style none --runs 3 --export-json "$WORK/batch.json" \
    --prepare "rm -rf $WORK/out" "$BIN render $WORK/in -o $WORK/out -j $JOBS" >/dev/null 2>&1
batch_s=$(hf "$WORK/batch.json" median)
rm -rf "$WORK/out"
read -r batch_cpu batch_kb < <(gnu_time "$BIN" render "$WORK/in" -o "$WORK/out" -j "$JOBS")
echo "batch_median_s: $(calc "f'{$batch_s:.2f}'")"
echo "batch_forms_per_s: $(calc "f'{$COUNT / $batch_s:.1f}'")"
echo "batch_ms_per_form: $(calc "f'{$batch_s * 1000 / $COUNT:.2f}'")"
echo "batch_cpu_ms_per_form: $(calc "f'{$batch_cpu * 1000 / $COUNT:.2f}'")"
echo "batch_peak_rss_mb: $(calc "f'{$batch_kb / 1024:.1f}'")"

# The same with the consolidated workbook.
hyperfine --style none --runs 3 --export-json "$WORK/book.json" \
    --prepare "rm -rf $WORK/out $WORK/all.xlsx" \
    "$BIN render $WORK/in -o $WORK/out -j $JOBS --workbook $WORK/all.xlsx" >/dev/null 2>&1
book_s=$(hf "$WORK/book.json" median)
rm -rf "$WORK/out" "$WORK/all.xlsx"
read -r book_cpu book_kb < <(gnu_time "$BIN" render "$WORK/in" -o "$WORK/out" -j "$JOBS" --workbook "$WORK/all.xlsx")
echo "workbook_batch_median_s: $(calc "f'{$book_s:.2f}'")"
echo "workbook_batch_forms_per_s: $(calc "f'{$COUNT / $book_s:.1f}'")"
echo "workbook_batch_cpu_ms_per_form: $(calc "f'{$book_cpu * 1000 / $COUNT:.2f}'")"
echo "workbook_batch_peak_rss_mb: $(calc "f'{$book_kb / 1024:.1f}'")"
echo "workbook_mb: $(calc "f'{$(stat -c %s "$WORK/all.xlsx") / 1e6:.1f}'")"

# The bureau's batch: the same with --workbook and --merge together (one run under GNU time:
# wall, CPU, peak RSS; the merged PDF's size). Memory must stay flat in the number of forms.
rm -rf "$WORK/out" "$WORK/all.xlsx" "$WORK/all.pdf"
read -r merge_wall merge_cpu merge_kb < <(/usr/bin/time -f '%e %U %S %M' "$BIN" render "$WORK/in" -o "$WORK/out" \
    -j "$JOBS" --workbook "$WORK/all.xlsx" --merge "$WORK/all.pdf" 2>&1 >/dev/null | tail -1 | awk '{print $1, $2 + $3, $4}')
echo "merge_batch_s: $merge_wall"
echo "merge_batch_forms_per_s: $(calc "f'{$COUNT / $merge_wall:.1f}'")"
echo "merge_batch_cpu_ms_per_form: $(calc "f'{$merge_cpu * 1000 / $COUNT:.2f}'")"
echo "merge_batch_peak_rss_mb: $(calc "f'{$merge_kb / 1024:.1f}'")"
echo "merged_pdf_mb: $(calc "f'{$(stat -c %s "$WORK/all.pdf") / 1e6:.1f}'")"
# --merge alone: its memory beside the plain run's (the workbook holds every sheet until it is
# written; the merge holds one offset per object and one line per form).
rm -rf "$WORK/out" "$WORK/all.pdf"
read -r _ merge_only_kb < <(gnu_time "$BIN" render "$WORK/in" -o "$WORK/out" -j "$JOBS" --merge "$WORK/all.pdf")
echo "merge_only_peak_rss_mb: $(calc "f'{$merge_only_kb / 1024:.1f}'")"

# (c) Bare Typst on the same documents, same jobs, in one process; stage breakdown.
cargo bench --quiet --bench pipeline -- "$WORK/in" -j "$JOBS" 2>/dev/null | tee "$WORK/pipeline.txt"
typst_ms=$(grep '^typst_only_ms_per_form:' "$WORK/pipeline.txt" | cut -d' ' -f2)
typst_cpu=$(grep '^typst_only_cpu_ms_per_form:' "$WORK/pipeline.txt" | cut -d' ' -f2)
echo "ratio_render_to_typst_wall: $(calc "f'{($batch_s * 1000 / $COUNT) / $typst_ms:.2f}'")"
echo "ratio_render_to_typst_cpu: $(calc "f'{($batch_cpu * 1000 / $COUNT) / $typst_cpu:.2f}'")"
echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)"
