#!/usr/bin/env bash
# Runs each argument as a shell command, all at the same time, and prints each one's output whole
# (in the order given, once all have ended) so that their lines do not interleave. Fails if any
# failed, naming it. `npm test` uses it for the build and the two type-checks, each one tsc process
# on one core: `bash scripts/together.sh 'npm run a' 'npm run b'`.
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pids=()
for i in $(seq 1 $#); do
  bash -c "${!i}" >"$dir/$i.out" 2>&1 &
  pids+=($!)
done
failed=()
for i in $(seq 1 $#); do
  wait "${pids[$((i - 1))]}"
  status=$?
  cat "$dir/$i.out"
  if [ "$status" != 0 ]; then
    echo "failed (exit $status): ${!i}"
    failed+=("${!i}")
  fi
done
[ ${#failed[@]} = 0 ]
