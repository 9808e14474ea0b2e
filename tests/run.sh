#!/usr/bin/env bash
# Runs every test project of ArbBot and ends with the line "N passed, N failed".
# Installs what the tests need when it is missing, so it works on a fresh machine; CI calls it too.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration="${CONFIGURATION:-Release}"
results="$(pwd)/TestResults"
rm -rf "$results"
mkdir -p "$results"

# What the tests need beyond the .NET SDK: a real redis-server (Debian package) for the mirror's
# integration tests, ioredis (npm) for the cross-process reader, and the official Polymarket client (@polymarket/clob-client-v2)
# and kalshi-typescript (npm) as the oracles for the plugins' wire bytes. Installed when missing.
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "== installing redis-server (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null \
    || echo "could not install redis-server: the Redis tests will fail and say so"
fi
# Debian's chromium for the dashboard's browser test (driven by playwright-core from npm).
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  ($sudo apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null \
    || echo "could not install chromium: the dashboard browser test will fail and say so"
fi
if [ ! -d tests/node/node_modules/ioredis ] || [ ! -d tests/node/node_modules/playwright-core ] || [ ! -d tests/node/node_modules/@polymarket/clob-client-v2 ] || [ ! -d tests/node/node_modules/kalshi-typescript ] || [ ! -d tests/node/node_modules/parse-prometheus-text-format ]; then
  echo "== installing the Node.js test helpers' packages (npm ci)"
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error) || echo "npm ci failed: the cross-process reader and dashboard tests will fail and say so"
fi

projects=(
  tests/ArbBot.Tests/ArbBot.Tests.csproj
  tests/ArbBot.Venues.ConformanceTests/ArbBot.Venues.ConformanceTests.csproj
  tests/ArbBot.IntegrationTests/ArbBot.IntegrationTests.csproj
)

echo "== build ($configuration)"
if ! dotnet build ArbBot.sln -c "$configuration" -nologo -v quiet; then
  echo "build failed: no tests ran"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
gate_failed=0
echo "== quality gate (dotnet format --verify-no-changes)"
if ! bash tests/quality-gate.sh; then
  gate_failed=1
  status=1
fi

for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  # One project at a time: the timing-sensitive end-to-end tests share two cores with nothing else.
  if ! dotnet test "$project" -c "$configuration" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results" --blame-hang-timeout 5m; then
    status=1
  fi
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

# The console log of a long run scrolls the failures away: list them again, each with the first
# lines of its message, right above the count.
if [ "$failed" -gt 0 ]; then
  echo "== failed tests"
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    awk '
      /<UnitTestResult / { failing = 0; inmessage = 0 }
      /<UnitTestResult / && /outcome="Failed"/ {
        match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11)
        gsub(/&quot;/, "\"", name); print "FAILED " name; failing = 1; lines = 0
      }
      failing && /<Message>/ { inmessage = 1; sub(/.*<Message>/, "") }
      failing && inmessage {
        text = $0; done = sub(/<\/Message>.*/, "", text)
        gsub(/&quot;/, "\"", text); gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&amp;/, "\\&", text)
        if (lines < 8) print "    " text
        lines++
        if (done) { inmessage = 0; failing = 0 }
      }' "$trx"
  done
fi

failed=$((failed + gate_failed)) # a formatting difference counts as a failure
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crash or hang leaves no failed count behind; do not report it as a pass.
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
