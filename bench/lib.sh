# Helpers for osgemu's benchmarks.

# time_until PATTERN TIMEOUT CMD... : runs CMD, prints the seconds from its start until a line of its
# standard output matches PATTERN (a grep -E pattern), then kills it. Prints "timeout" when it never does.
time_until() {
    local pattern=$1 timeout=$2; shift 2
    local fifo; fifo=$(mktemp -u "${TMPDIR:-/tmp}/osgemu-bench.XXXXXX")
    mkfifo "$fifo"
    local start end pid
    start=$(date +%s%N)
    setsid "$@" </dev/null >"$fifo" 2>/dev/null &
    pid=$!
    if timeout "$timeout" grep -m1 -qE "$pattern" <"$fifo"; then
        end=$(date +%s%N)
        awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
    else
        echo timeout
    fi
    kill -TERM -- -"$pid" 2>/dev/null; sleep 0.2; kill -KILL -- -"$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$fifo"
}

# median of the numbers on standard input
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# report TITLE "OSGEMU_TIMES" "QEMU_TIMES": prints each run, each median and the ratio osgemu/QEMU.
report() {
    local title=$1 osg=$2 qemu=$3 o q
    o=$(tr ' ' '\n' <<<"$osg" | grep -v -e timeout -e '^$' | median)
    q=$(tr ' ' '\n' <<<"$qemu" | grep -v -e timeout -e '^$' | median)
    echo "$title"
    echo "  osgemu runs (s): $osg"
    echo "  qemu   runs (s): $qemu"
    echo "  osgemu median: ${o} s"
    echo "  qemu   median: ${q} s"
    awk -v o="$o" -v q="$q" 'BEGIN { if (o + 0 > 0 && q + 0 > 0) printf "  ratio osgemu/qemu: %.1f\n", o / q; else print "  ratio: n/a" }'
}
