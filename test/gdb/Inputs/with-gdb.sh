#!/usr/bin/env bash
# Runs a guest under xlat-run -g and a client against it:
#   with-gdb.sh SOCKET CLIENT... -- RUNNER... PROG [ARGS]
# The runner (its -g SOCKET among its arguments) starts first; the client
# runs once the socket exists; then the runner's output and exit status
# are printed after the client's, for FileCheck. A CLIENT word @SOCK@ is
# replaced by the socket's path.
set -u
sock=$1
shift
client=()
while [[ $# -gt 0 && $1 != -- ]]; do
  client+=("${1//@SOCK@/$sock}")
  shift
done
shift
rm -f "$sock" "$sock.out"
timeout 120 "$@" > "$sock.out" 2>&1 &
runner=$!
for _ in $(seq 200); do
  [[ -S $sock ]] && break
  sleep 0.05
done
timeout 120 "${client[@]}" 2>&1
client_status=$?
wait $runner
status=$?
echo "--- runner output"
cat "$sock.out"
echo "--- runner exit $status"
# A timeout shows in lit's report whole: FileCheck's dump of stdout elides
# the runner's output, which says how far the guest got.
if [[ $status -eq 124 || $client_status -eq 124 ]]; then
  echo "with-gdb.sh: timed out (runner $status, client $client_status); runner output:" >&2
  cat "$sock.out" >&2
fi
rm -f "$sock" "$sock.out"
