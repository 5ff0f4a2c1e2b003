#!/usr/bin/env bash
# Checks the units with `systemd-analyze verify` (called by .ci/run). The units name the
# installed path /srv/openctpat; the copies checked here point at this checkout instead, so
# that verify also finds the entry point it runs. Skipped, saying so, without systemd-analyze.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app="$(cd "$here/../.." && pwd)"
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd units: not checked (systemd-analyze is not installed)"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for unit in "$here"/*.service "$here"/*.timer; do
  sed "s#/srv/openctpat#$app#g" "$unit" >"$work/$(basename "$unit")"
done
# verify prints problems but does not always fail on them: any output is a failure.
out="$(cd "$work" && systemd-analyze verify --man=no ./*.service ./*.timer 2>&1 || true)"
if [[ -n "$out" ]]; then
  echo "$out" >&2
  echo "systemd units: problems above" >&2
  exit 1
fi
echo "systemd units: $(ls "$here"/*.service "$here"/*.timer | wc -l) verified"
