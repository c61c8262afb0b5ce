#!/usr/bin/env bash
# Run a command with the clock moved: `bash tests/support/at.sh WHEN COMMAND [ARGS...]`
#
#   bash tests/support/at.sh 'TZ="Europe/Paris" 2027-01-06 10:00' .venv/bin/pytest -m e2e
#
# WHEN is anything GNU `date -d` reads, with its time zone (TZ="..." first, as above). The
# command and every process it starts (`outreach run`, dispatchers, the browser) see the
# clock start at WHEN and keep running from there, all on the same clock: libfaketime
# (Debian's `faketime` package: apt-get install -y faketime) is preloaded with an offset
# from the real time rather than a fixed start, since a fixed start ("@...") restarts in
# each new process, which would put a child process behind its parent. Monotonic clocks
# move by the same offset and keep their pace, so asyncio and timeouts work as usual.
#
# Only this machine's processes are moved: the PostgreSQL server keeps the real time (the
# code never asks it for the time: every `now` comes from the application's clock).
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 WHEN COMMAND [ARGS...]   e.g. $0 'TZ=\"Europe/Paris\" 2027-01-06 10:00' pytest" >&2
    exit 2
fi
when=$1
shift

library=""
for candidate in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
                 /usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1 \
                 /usr/lib/faketime/libfaketime.so.1; do
    if [[ -f $candidate ]]; then
        library=$candidate
        break
    fi
done
if [[ -z $library ]]; then
    echo "$0: libfaketime not found: apt-get install -y faketime" >&2
    exit 2
fi

target=$(date -d "$when" +%s)
offset=$((target - $(date +%s)))
echo "$0: clock moved by ${offset} s to $(date -u -d "@$target" '+%Y-%m-%d %H:%M:%S UTC') ($(TZ=Europe/Paris date -d "@$target" '+%a %H:%M Paris'), $(TZ=America/New_York date -d "@$target" '+%a %H:%M New York'))" >&2

# FAKETIME_DONT_FAKE_MONOTONIC stays unset: with it, libfaketime 0.9.10 makes Python's
# time.sleep() fail with EINVAL.
export LD_PRELOAD="$library${LD_PRELOAD:+:$LD_PRELOAD}"
export FAKETIME="+${offset}"
exec "$@"
