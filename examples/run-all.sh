#!/usr/bin/env bash
# Runs every example (examples/*/run.sh), one after the other; exits 1 if any of them fails, naming it.
# Each example generates its data, asks ./mr local, and checks the answer with an independent program.
# EXAMPLE_LINES=N makes each example's sample N lines (default 50000).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=()
count=0
for script in "$here"/*/run.sh; do
  name="$(basename "$(dirname "$script")")"
  count=$((count + 1))
  echo "=== $name"
  started=$SECONDS
  if "$script"; then
    echo "=== $name passed in $((SECONDS - started)) s"
  else
    echo "=== $name FAILED" >&2
    failed+=("$name")
  fi
  echo
done
if [ "$count" -eq 0 ]; then
  echo "no examples found under $here" >&2
  exit 1
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "examples: ${#failed[@]} of $count failed: ${failed[*]}" >&2
  exit 1
fi
echo "examples: all $count passed"
