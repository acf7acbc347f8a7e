#!/usr/bin/env bash
# Runs every test: installs Azurite (npm ci) and the NuGet packages, builds, and runs the test projects.
# Tests start their own Azurite on free ports and stop it themselves.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
dotnet restore Workflows.sln
dotnet build Workflows.sln --no-restore -c Release

log=$(mktemp)
status=0
# A test that hangs ends the run loudly, named, after 15 minutes, instead of holding CI until its own limit.
dotnet test Workflows.sln --no-build -c Release --logger "console;verbosity=normal" --blame-hang-timeout 15m --blame-hang-dump-type none "$@" 2>&1 | tee "$log" || status=$?
# CI shows only the tail of this output: repeat each failed test's name and message (not its stack) at the end.
awk '/^  Failed [A-Za-z_]/{show=1; n=0; print "FAILED:" substr($0, 9); next}
     show && /^  (Stack Trace|Standard Output Messages):/{show=0}
     show && /^  (Passed|Skipped|Failed) /{show=0}
     show && n++ < 12' "$log"
# One closing line over every test project, as CI reads it.
awk '/^ *Passed: *[0-9]+/{p+=$2} /^ *Failed: *[0-9]+/{f+=$2} /^ *Skipped: *[0-9]+/{s+=$2} END{printf "%d passed, %d failed, %d skipped\n", p, f, s}' "$log"
rm -f "$log"
exit $status
