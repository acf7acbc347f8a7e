#!/usr/bin/env bash
# Runs every test: installs Azurite (npm ci) and the NuGet packages, builds, and runs the test projects.
# Tests start their own Azurite on free ports and stop it themselves.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
dotnet restore Workflows.sln
dotnet build Workflows.sln --no-restore -c Release
dotnet test Workflows.sln --no-build -c Release --logger "console;verbosity=normal" "$@"
