#!/usr/bin/env bash
# Builds the app and serves it at http://127.0.0.1:8080, rebuilding on change.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
echo "Jacobian Playground: http://127.0.0.1:8080/"
trunk_serve "$@"
