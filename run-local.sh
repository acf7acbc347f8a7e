#!/usr/bin/env bash
# Runs the whole system locally on its embedded default: Azurite on loopback (data kept in .azurite/),
# the seeds loaded, the local host on http://127.0.0.1:7071, SMS into the local sink. Ctrl+C stops it all.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed (dotnet on PATH)." >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js is needed for Azurite (node on PATH)." >&2; exit 1; }
# patch-package comes with the install that applies patches/ to Azurite.
[ -x node_modules/.bin/patch-package ] || npm ci --no-audit --no-fund

for port in 10000 10001 10002 10011 10012; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "Port $port is already in use (another Azurite?): stop it, or this run would use someone else's data." >&2; exit 1
  fi
done

mkdir -p .azurite
# Blob, queue and table each in their own node process: Azurite is single-threaded, and this way the durable
# engine's queue and table traffic run on two cores instead of taking turns on one.
azurite_pids=()
# SIGINT, not SIGTERM: azurite-table saves its data on SIGINT only. Each Azurite runs in a session of its own (setsid), so
# the terminal's Ctrl+C stops the host first, which still writes while it stops; Azurite is stopped after it, here.
trap 'kill -INT "${azurite_pids[@]}" 2>/dev/null || true' EXIT
# The task hub's Azurite runs at lower CPU priority (nice 10): on a small machine the engine's background work
# then gives way to the app's data store, which answers 111 and the staff pages (docs/benchmarks.md).
for service in blob queue table; do
  setsid nice -n 10 node_modules/.bin/azurite-$service --silent --disableTelemetry --skipApiVersionCheck --location .azurite \
    --${service}Host 127.0.0.1 > .azurite/azurite-$service.log 2>&1 &
  azurite_pids+=($!)
done
# The app's own data (tables, the case-starts queue) in a second Azurite, as DataStorage in local.settings.sample.json:
# a 111 call is answered once it is written there, never queued behind the engine's traffic in the first.
mkdir -p .azurite/data
for service in queue table; do
  port=$([ $service = queue ] && echo 10011 || echo 10012)
  setsid node_modules/.bin/azurite-$service --silent --disableTelemetry --skipApiVersionCheck --location .azurite/data \
    --${service}Host 127.0.0.1 --${service}Port $port > .azurite/azurite-data-$service.log 2>&1 &
  azurite_pids+=($!)
done
for port in 10000 10001 10002 10011 10012; do
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done
for pid in "${azurite_pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "Azurite did not start; see .azurite/azurite-*.log (are ports 10000-10002, 10011 and 10012 free?)" >&2; exit 1; }
done

dotnet run --project functions/Workflows.LocalHost -c Release
