#!/usr/bin/env bash
# Installs the Debian 12 packages eseal needs to build, run and test (DESIGN §3).
# Idempotent: apt runs only when a package is missing; npm only when node_modules is stale.
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config git
  libssl-dev openssl
  libsqlite3-dev sqlite3
  libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-cryptography
  libboost-dev
  softhsm2 opensc libp11-kit-dev
  curl
  libcairo2-dev libpango1.0-dev fonts-noto-cjk libqrencode-dev libargon2-dev libjpeg-dev
  python3-asn1crypto poppler-utils qpdf zbar-tools
  libqpdf-dev libpoppler-cpp-dev libzip-dev libpugixml-dev zip unzip
  mupdf-tools libnss3-tools chromium
  libreoffice-writer-nogui
)
# Node.js may come from another source than Debian (its npm then conflicts with Debian's).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi

# npm packages used by the interop tests (sm-crypto judges our SM2 signatures).
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$root/tests/interop/package.json" ]; then
  stamp="$root/tests/interop/node_modules/.eseal-stamp"
  if [ ! -f "$stamp" ] || [ "$root/tests/interop/package-lock.json" -nt "$stamp" ]; then
    echo "install-deps: npm ci in tests/interop"
    (cd "$root/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
fi

# The web app (web/: React + Vite) and its browser tests (tests/e2e: playwright-core driving the
# Debian chromium above; no browser is downloaded). The app is rebuilt when its sources change.
for dir in web tests/e2e; do
  stamp="$root/$dir/node_modules/.eseal-stamp"
  if [ -f "$root/$dir/package-lock.json" ] && { [ ! -f "$stamp" ] || [ "$root/$dir/package-lock.json" -nt "$stamp" ]; }; then
    echo "install-deps: npm ci in $dir"
    (cd "$root/$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
done
if [ -f "$root/web/package.json" ] && { [ ! -f "$root/web/dist/index.html" ] ||
   [ -n "$(find "$root/web/src" "$root/web/index.html" "$root/web/package-lock.json" -newer "$root/web/dist/index.html" -print -quit)" ]; }; then
  echo "install-deps: building the web app (web/dist)"
  (cd "$root/web" && npm run --silent build)
fi
