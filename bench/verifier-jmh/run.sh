#!/usr/bin/env bash
# JMH benchmarks of the verifier library: fresh and cached verifications per second per algorithm,
# next to the raw JDK signature check. One thread (per-core figures). Extra arguments go to JMH,
# e.g. bench/verifier-jmh/run.sh -p alg=RS256
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
../../mvnw -B -q package
java -jar target/benchmarks.jar -t 1 "$@"
