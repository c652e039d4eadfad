#!/usr/bin/env bash
# Runs the real-telephony suite (Kamailio, rtpengine, sipp, baresip) inside a fresh network
# namespace that has only loopback: nothing the suite starts can reach or be reached from outside.
# Arguments are passed to vitest, e.g. --reporter=json --outputFile.json=FILE.
set -uo pipefail
cd "$(dirname "$0")/../.."
for program in kamailio rtpengine sipp baresip sox chromium unshare ip; do
  command -v "$program" >/dev/null 2>&1 || { echo "telephony suite: $program is not installed" >&2; exit 2; }
done
exec unshare -n -- bash -c 'ip link set lo up && exec npx vitest run --config test/telephony/vitest.config.ts "$@"' telephony "$@"
