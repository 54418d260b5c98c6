#!/usr/bin/env bash
# install-nio-e2ee.sh -- the Python venv that nio_e2ee_peer.py runs in: matrix-nio with its
# e2e extra (Olm/Megolm through the vodozemac Python bindings, prebuilt wheels: nothing
# compiles, no libolm needed).
#
# Usage:
#   install-nio-e2ee.sh            make the venv unless it exists; print its path on stdout
#   install-nio-e2ee.sh --path     only print where it is (or would be)
#   install-nio-e2ee.sh --check    exit 0 if it is installed, 1 if not (install nothing)
#
# The venv lives outside any work dir and is reused, keyed by the nio version:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/matrixlib/nio-e2ee-venv-NIO_VERSION
# nio_e2ee_peer.py finds it there by itself (or through $NIO_E2EE_VENV).
#
# Environment knobs:
#   NIO_E2EE_VENV      venv to use or create (default: the path above)
#   NIO_VERSION        matrix-nio version (default 0.26.0)
#   NIO_PYTHON         interpreter for the venv (default python3; needs >= 3.10)
#   NIO_PIN_DEPS       1 (default) = the exact dependency versions below (only with the
#                      default NIO_VERSION); 0 = let them float
#
# Measured (2-core x86_64, CPython 3.11, empty pip cache, other builds running alongside):
# 39-42 s cold, 69 MiB; 0.01 s when the venv exists. Each nio_e2ee_peer.py command then took
# 2.3-3.1 s, 2 s of it importing nio.
#
# Not tested: putting the same packages into the Synapse venv instead, with
# SYNAPSE_EXTRA_PIP='matrix-nio[e2e]' start-synapse.sh WORKDIR PORT (its constraints pin nio
# and most dependencies, but not vodozemac, peewee, cachetools or atomicwrites);
# nio_e2ee_peer.py would look there too.
set -euo pipefail

die() { echo "install-nio-e2ee: $*" >&2; exit 1; }

DEFAULT_VERSION=0.26.0
VERSION=${NIO_VERSION:-$DEFAULT_VERSION}
VENV=${NIO_E2EE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/matrixlib/nio-e2ee-venv-$VERSION}
PY=${NIO_PYTHON:-python3}
MARKER=$VENV/.install-nio-e2ee-installed      # written only after pip succeeded

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
  --path) echo "$VENV"; exit 0 ;;
  --check) [[ -f $MARKER ]]; exit ;;
  "") ;;
  *) die "unknown option $1 (see --help)" ;;
esac

install_venv() {   # runs under the lock, when there is one
  [[ -f $MARKER ]] && return 0
  local t0 constraints
  t0=$(date +%s)
  echo "install-nio-e2ee: creating venv $VENV with matrix-nio[e2e]==$VERSION" >&2
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || die "$PY is older than Python 3.10, which matrix-nio needs (set NIO_PYTHON)"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  constraints=$VENV/.install-nio-e2ee-constraints.txt
  : >"$constraints"
  if [[ $VERSION == "$DEFAULT_VERSION" && ${NIO_PIN_DEPS:-1} == 1 ]]; then
    # Exact versions of a tested install (CPython 3.11, x86_64 manylinux wheels).
    tr ' ' '\n' >"$constraints" <<'EOF'
aiofiles==25.1.0 aiohappyeyeballs==2.7.1 aiohttp==3.14.5 aiohttp_socks==0.12.0
aiosignal==1.4.0 atomicwrites==1.4.1 attrs==26.1.0 cachetools==8.0.2 frozenlist==1.8.0
h11==0.16.0 h2==4.4.1 hpack==4.2.0 hyperframe==6.1.0 idna==3.20 jsonschema==4.26.0
jsonschema-specifications==2025.9.1 matrix-nio==0.26.0 multidict==7.2.1 peewee==3.19.0
propcache==0.5.4 pycryptodome==4.4.0 python-socks==3.2.1 referencing==0.37.0
rpds-py==2026.9.1 typing_extensions==4.16.0 unpaddedbase64==2.1.0 vodozemac==0.10.0
yarl==1.25.1
EOF
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -c "$constraints" \
    "matrix-nio[e2e]==$VERSION" >&2
  "$VENV/bin/python" -c 'import nio, vodozemac; nio.crypto.Olm' \
    || die "the venv has nio but not its encryption support"
  echo "matrix-nio[e2e]==$VERSION" >"$MARKER"
  echo "install-nio-e2ee: venv ready in $(( $(date +%s) - t0 )) s" >&2
}

if [[ ! -f $MARKER ]]; then
  mkdir -p "$(dirname "$VENV")"
  if command -v flock >/dev/null; then
    # Two runs sharing the venv must not install into it at once.
    exec 9>"$VENV.lock"
    flock 9
    install_venv
    exec 9>&-
  else
    install_venv
  fi
fi
echo "$VENV"
