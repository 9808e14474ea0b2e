#!/usr/bin/env bash
# The quality gate, run by tests/run.sh (and so by .ci/run) after the build:
#  - the build itself fails on any analyzer finding (AnalysisLevel latest-recommended, warnings are errors,
#    the team's choices in .editorconfig);
#  - this script fails when `dotnet format` would change a file (whitespace, code style, analyzer fixes).
# Run it alone after a restore: bash tests/quality-gate.sh
set -uo pipefail
cd "$(dirname "$0")/.."
if dotnet format ArbBot.sln --verify-no-changes --no-restore -v quiet; then
  echo "quality gate: formatting ok"
else
  echo "quality gate: dotnet format would change the files above; run 'dotnet format ArbBot.sln' and commit the result"
  exit 1
fi
