#!/usr/bin/env bash
# Packs ArbBot's packages into the local folder feed build/packages/ (or the folder given):
#   arbbot                      the .NET tool (dotnet tool install -g arbbot --add-source build/packages)
#   ArbBot.Abstractions         the plugin and strategy contract a plugin references
#   ArbBot.Engine               the engine core the conformance suite runs plugins in
#   ArbBot.Venues.Toolkit       network helpers a plugin uses (backoff, receive loop, failure log)
#   ArbBot.Venues.Conformance   the conformance suite a plugin's tests subclass
#   ArbBot.Templates            dotnet new arbbot-venue
# Usage: bash build/pack.sh [FEED_DIR] [VERSION] [--no-build]
#   VERSION defaults to the build's (0.1.0); --no-build packs what `dotnet build` already made
#   (CONFIGURATION, default Release), as the tests do while other tests run the built engine.
set -euo pipefail
cd "$(dirname "$0")/.."
positional=()
extra=()
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then extra+=("--no-build"); else positional+=("$arg"); fi
done
feed="$(realpath -m "${positional[0]:-build/packages}")"
version="${positional[1]:-}"
mkdir -p "$feed"
if [ -n "$version" ]; then extra+=("-p:Version=$version"); fi
for project in \
  engine/ArbBot.Abstractions/ArbBot.Abstractions.csproj \
  engine/ArbBot.Engine/ArbBot.Engine.csproj \
  sdk/ArbBot.Venues.Toolkit/ArbBot.Venues.Toolkit.csproj \
  sdk/ArbBot.Venues.Conformance/ArbBot.Venues.Conformance.csproj \
  sdk/templates/ArbBot.Templates.csproj \
  engine/ArbBot.Cli/ArbBot.Cli.csproj; do
  dotnet pack "$project" -c "${CONFIGURATION:-Release}" -o "$feed" -nologo -v quiet "${extra[@]}"
done
echo "packed into $feed:"
ls -1 "$feed"
