#!/usr/bin/env bash
# Install the peer linters the benchmark compares replylint with, idempotently:
#   proselint (PyPI)          -> bench/.peers/venv   (python3 -m venv + pip)
#   write-good, alex (npm)    -> bench/.peers/node   (npm install --prefix)
# Prints each peer's version, or says clearly that it could not be installed.
# Exit code: 0 when all three are installed, 1 otherwise (run.py reports missing peers as such).
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
PEERS="$HERE/.peers"
mkdir -p "$PEERS"
status=0

# --- proselint ------------------------------------------------------------------------------
if [ ! -x "$PEERS/venv/bin/proselint" ]; then
  echo "installing proselint into $PEERS/venv ..."
  { python3 -m venv "$PEERS/venv" \
    && timeout 300 "$PEERS/venv/bin/pip" install -q --disable-pip-version-check proselint; } \
    || echo "proselint: INSTALL FAILED"
fi
if [ -x "$PEERS/venv/bin/proselint" ]; then
  v="$("$PEERS/venv/bin/pip" show proselint 2>/dev/null | sed -n 's/^Version: //p')"
  echo "proselint  $v  ($PEERS/venv/bin/proselint)"
else
  echo "proselint  NOT INSTALLED"; status=1
fi

# --- write-good and alex --------------------------------------------------------------------
need=()
[ -x "$PEERS/node/node_modules/.bin/write-good" ] || need+=(write-good)
[ -x "$PEERS/node/node_modules/.bin/alex" ] || need+=(alex)
if [ ${#need[@]} -gt 0 ]; then
  if command -v npm >/dev/null; then
    echo "installing ${need[*]} into $PEERS/node ..."
    mkdir -p "$PEERS/node"
    timeout 300 npm install --prefix "$PEERS/node" --no-audit --no-fund --loglevel=error "${need[@]}" \
      || echo "npm install ${need[*]}: INSTALL FAILED"
  else
    echo "npm not found: cannot install ${need[*]}"
  fi
fi
for p in write-good alex; do
  if [ -x "$PEERS/node/node_modules/.bin/$p" ]; then
    v="$(node -p "require('$PEERS/node/node_modules/$p/package.json').version" 2>/dev/null)"
    echo "$p  $v  ($PEERS/node/node_modules/.bin/$p; node $(node --version))"
  else
    echo "$p  NOT INSTALLED"; status=1
  fi
done
exit $status
