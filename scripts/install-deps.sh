#!/usr/bin/env bash
# Installs what BackupPanel needs on Debian/Ubuntu, once: PostgreSQL server binaries (the embedded database and
# pg_dump/pg_restore), the MariaDB/MySQL client tools (mariadb-dump), and for tests Chromium, age, zstd, a MariaDB
# server, OpenSSH's sshd, vsftpd, python3 (builds the import test archives) and the npm S3 server s3rver (all started privately by the suite, on 127.0.0.1).
# Idempotent: installs only what is missing. Never starts system services.
set -euo pipefail
want=(postgresql mariadb-client libzstd1)
[ "${1:-}" = "--test" ] && want+=(chromium age zstd tar mariadb-server openssh-server vsftpd openssl python3)
[ "${1:-}" = "--bench" ] && want+=(age zstd tar time e2fsprogs openssh-server openssl curl chromium)
case "${1:-}" in --test|--bench) command -v npm >/dev/null || want+=(nodejs npm) ;; esac
s3rver() {
  # The S3-compatible test server, pinned by scripts/s3rver/package-lock.json.
  case "${1:-}" in --test|--bench) ;; *) return 0 ;; esac
  local dir; dir="$(cd "$(dirname "$0")" && pwd)/s3rver"
  [ -f "$dir/node_modules/s3rver/bin/s3rver.js" ] || (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
missing=()
for p in "${want[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && { s3rver "${1:-}"; exit 0; }
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
# Keep apt from starting daemons (a system PostgreSQL on :5432) while installing: the panel runs its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null; $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
s3rver "${1:-}"
