#!/usr/bin/env bash
# Durable asynchronous invocations end to end (accept -> handler -> success or failure record in a
# queue), through the DurableWorker example the crash tests kill. First the issue's measure: on one
# core (`taskset -c 0`), every attempt succeeding and no per-step output (`bench`), in memory and on
# SQLite with batched commits, three runs each. Then the crash tests' mix (retries, failure
# records, a line per step; `invoke`) on both cores: in memory, on SQLite with one transaction per
# write, and batched; then a start-up with 100,000 stored pending invocations, and the database's
# bytes per settled invocation.
#
#   Benchmarks/run-durable.sh [N] [IN_FLIGHT] [PENDING]     (defaults 20000 256 100000)
#
# Prints elapsed and CPU time (user + system) per run, and the load average before each, since
# the machine it is measured on is shared. Files go to ${BENCH_DIR:-/tmp/eventflow-durable-bench}.
# WORKER=path/to/DurableWorker times another build (nothing is built then).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
IN_FLIGHT=${2:-256}
PENDING=${3:-100000}
DIR=${BENCH_DIR:-/tmp/eventflow-durable-bench}
if [ -z "${WORKER:-}" ]; then
    swift build -c release --product DurableWorker >&2
    WORKER=.build/release/DurableWorker
fi
mkdir -p "$DIR"

fresh() { rm -f "$DIR/$1" "$DIR/$1-wal" "$DIR/$1-shm" "$DIR/$1.lock"; }

timed() { # label, then the command
    local label=$1
    shift
    echo "== $label (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    /usr/bin/time -f "   %e s elapsed, %U s user, %S s system" "$@" > /dev/null
}

bytes() { # the database file and its WAL, in bytes
    local total=0
    for f in "$DIR/$1" "$DIR/$1-wal"; do [ -f "$f" ] && total=$((total + $(stat -c %s "$f"))); done
    echo $total
}

for run in 1 2 3; do
    fresh bench.db
    DURABLE_STORAGE=memory timed "one core, in memory, all succeed (run $run): $N invocations, $IN_FLIGHT in flight" \
        taskset -c 0 "$WORKER" "$DIR/bench.db" bench 0 "$N" "$IN_FLIGHT"
    fresh bench.db
    timed "one core, SQLite batched, all succeed (run $run): $N invocations, $IN_FLIGHT in flight" \
        taskset -c 0 "$WORKER" "$DIR/bench.db" bench 0 "$N" "$IN_FLIGHT"
done

fresh memory.db
DURABLE_STORAGE=memory timed "in memory: $N invocations, $IN_FLIGHT in flight" "$WORKER" "$DIR/memory.db" invoke 0 "$N" "$IN_FLIGHT"

fresh per-op.db
DURABLE_COMMITS=per-operation timed "SQLite, a transaction per write: $N invocations, $IN_FLIGHT in flight" \
    "$WORKER" "$DIR/per-op.db" invoke 0 "$N" "$IN_FLIGHT"

fresh batched.db
timed "SQLite, batched commits: $N invocations, $IN_FLIGHT in flight" "$WORKER" "$DIR/batched.db" invoke 0 "$N" "$IN_FLIGHT"
b=$(bytes batched.db)
echo "   database after $N settled invocations (records kept in their queues): $b bytes, $((b / N)) bytes per invocation"
"$WORKER" "$DIR/batched.db" records | awk '{ print $2 }' | sort | uniq -c | sed 's/^/   records: /'

fresh startup.db
timed "storing $PENDING pending invocations" "$WORKER" "$DIR/startup.db" pending "$PENDING"
echo "   database with $PENDING pending: $(bytes startup.db) bytes"
echo "== start-up with $PENDING pending (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/time -f "   %e s elapsed, %U s user, %S s system" "$WORKER" "$DIR/startup.db" startup | grep -v "^ran " | sed 's/^/   /'
