#!/usr/bin/env bash
# make bench — times `BackupPanel archive create|extract` against the standard pipeline on the same corpus, in the
# same run (docs/PERFORMANCE.md). Alternates the two (A B A B …), syncs and warms the inputs and the allocator before
# every timed command, extracts into a fresh journaled ext4 (on an unjournaled root, writing many files right after an
# rm -rf is 5–10× slower), and prints medians, ratios and peak RSS.
# Settings: BENCH_GB (corpus size, default 1), BENCH_RUNS (default 5), BENCH_DIR (default /var/tmp/bp-bench),
# BENCH_SCALE_GB (a second, larger corpus for the memory check, default 4; 0 skips it).
set -euo pipefail
GB=${BENCH_GB:-1}; RUNS=${BENCH_RUNS:-5}; W=${BENCH_DIR:-/var/tmp/bp-bench}; SCALE=${BENCH_SCALE_GB:-4}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP=(dotnet "$ROOT/BackupPanel/bin/Release/net10.0/BackupPanel.dll")
for tool in age age-keygen zstd tar mkfs.ext4 /usr/bin/time awk split curl node /usr/sbin/sshd ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (make bench installs it: scripts/install-deps.sh --bench)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (it mounts a fresh ext4 image for every extraction)"; exit 1; }
MNT="$W/mnt"
# shellcheck source=bench-remote.sh
source "$ROOT/scripts/bench-remote.sh"
# shellcheck source=bench-import.sh
source "$ROOT/scripts/bench-import.sh"
cleanup() { stop_remote_servers; mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; rm -rf "$W"; }
trap cleanup EXIT
cleanup; mkdir -p "$W" "$MNT"

# ---- corpus: site text (many small files), incompressible media, large logs, a Maildir -------------------------
make_corpus() { # dir gib
  local c=$1 g=$2 text; text=$(find "$(dirname "$(readlink -f "$(command -v dotnet)")")/packs" -name '*.xml' | sort)
  mkdir -p "$c/public_html" "$c/media" "$c/logs" "$c/Maildir/cur" "$c/Maildir/new" "$c/Maildir/tmp"
  for i in $(seq 1 $((4 * g))); do           # ~72 MiB of real English/XML per copy, in 4-16 KiB files
    mkdir -p "$c/public_html/site$i"; cat $text | split -b $((4096 + (i % 4) * 4096)) -a 5 - "$c/public_html/site$i/page-"
  done
  for i in $(seq 1 $((30 * g))); do head -c 10M /dev/urandom > "$c/media/photo-$i.jpg"; done
  for i in $(seq 1 $((3 * g))); do
    awk -v n=1000000 -v s="$i" 'BEGIN { srand(s); for (j = 0; j < n; j++) printf "203.0.113.%d - - [25/Nov/2026:%02d:%02d:%02d +0000] \"GET /wp-content/page-%d.html HTTP/1.1\" %d %d \"https://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n", j % 254, (j / 3600) % 24, (j / 60) % 60, j % 60, int(rand() * 5000), (rand() < 0.9 ? 200 : 404), int(rand() * 90000) }' > "$c/logs/access-$i.log"
  done
  for i in $(seq 1 "$g"); do cat $text | head -c 100M | split -b 20k -a 5 --additional-suffix=":2,S" - "$c/Maildir/cur/17640$i.M"; done
}

# Before every timed command: nothing dirty left over from the one before (BackupPanel fsyncs its output, and a
# journal commit can wait for another command's unwritten data; the pipeline never fsyncs), the inputs read once,
# 2 GiB of memory touched.
warm() { sync; tar -cf - -C "$1" . > /dev/null; dd if=/dev/zero of=/dev/null bs=2000M count=1 2>/dev/null; }
fresh_fs() { # bytes
  mountpoint -q "$MNT" && umount "$MNT"; rm -f "$W/fs.img"; truncate -s "$1" "$W/fs.img"
  mkfs.ext4 -q -F "$W/fs.img"; mount -o loop "$W/fs.img" "$MNT"
}
timed() { # label command… → appends "label seconds peakKiB" to results
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/time.txt" "$@" >/dev/null 2>"$W/stderr.txt" || { echo "bench: $label failed:"; cat "$W/stderr.txt"; exit 1; }
  echo "$label $(cat "$W/time.txt")" >> "$W/results.txt"
}
median() { grep "^$1 " "$W/results.txt" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
each() { grep "^$1 " "$W/results.txt" | awk '{printf "%s%s", sep, $2; sep=" "}'; }
peak() { grep "^$1 " "$W/results.txt" | awk 'BEGIN{m=0} {if ($3>m) m=$3} END {printf "%.0f", m/1024}'; }

age-keygen -o "$W/key.txt" 2>/dev/null; PUB=$(age-keygen -y "$W/key.txt")

run_suite() { # corpus runs
  local c=$1 runs=$2 bytes; bytes=$(du -sb "$c" | awk '{print $1}')
  : > "$W/results.txt"
  for r in $(seq 1 "$runs"); do
    rm -rf "$W/ours" "$W/pipe"; mkdir -p "$W/pipe"
    warm "$c"; timed create-ours "${APP[@]}" archive create --source "$c" --out "$W/ours" --recipient "$PUB"
    warm "$c"; timed create-pipe bash -c "set -o pipefail; tar -cf - -C '$c' . | zstd -3 -T0 -q | age -r '$PUB' > '$W/pipe/files.tar.zst.age'"
    fresh_fs $((bytes * 2 + (1 << 30))); warm "$W/ours"; timed extract-ours "${APP[@]}" archive extract --from "$W/ours" --to "$MNT/ours" --identity "$W/key.txt"
    fresh_fs $((bytes * 2 + (1 << 30))); warm "$W/pipe"; mkdir -p "$MNT/pipe"
    timed extract-pipe bash -c "set -o pipefail; age -d -i '$W/key.txt' '$W/pipe/files.tar.zst.age' | zstd -d -q | tar -x -C '$MNT/pipe'"
  done
  local co cp eo ep; co=$(median create-ours); cp=$(median create-pipe); eo=$(median extract-ours); ep=$(median extract-pipe)
  LOCAL_CREATE=$co; LOCAL_EXTRACT=$eo
  awk -v b="$bytes" -v co="$co" -v cp="$cp" -v eo="$eo" -v ep="$ep" -v rco="$(peak create-ours)" -v reo="$(peak extract-ours)" \
      -v rcp="$(peak create-pipe)" -v rep="$(peak extract-pipe)" -v files="$(find "$c" -type f | wc -l)" -v runs="$runs" \
      -v so="$(stat -c %s "$W/ours/files.tar.zst.age")" -v sp="$(stat -c %s "$W/pipe/files.tar.zst.age")" 'BEGIN {
    printf "corpus %.2f GiB, %d files; median of %d runs each, alternating\n", b / 2^30, files, runs
    printf "| operation | BackupPanel | tar/zstd -3 -T0/age pipeline | ratio (pipeline time / ours) | peak RSS ours / pipeline |\n|---|---|---|---|---|\n"
    printf "| archive create  | %.2f s, %.0f MB/s | %.2f s, %.0f MB/s | %.2f | %d MiB / %d MiB |\n", co, b / co / 1e6, cp, b / cp / 1e6, cp / co, rco, rcp
    printf "| archive extract | %.2f s, %.0f MB/s | %.2f s, %.0f MB/s | %.2f | %d MiB / %d MiB |\n", eo, b / eo / 1e6, ep, b / ep / 1e6, ep / eo, reo, rep
    printf "stored size: ours %.1f MiB, pipeline %.1f MiB\n", so / 2^20, sp / 2^20 }'
  echo "each run (s), in order: create ours $(each create-ours) | pipeline $(each create-pipe); extract ours $(each extract-ours) | pipeline $(each extract-pipe)"
}

echo "BackupPanel bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -r)"
echo "tools: $(age --version 2>&1 | head -1) age, $(zstd --version | head -1), $(tar --version | head -1), dotnet $(dotnet --version)"
make_corpus "$W/corpus" "$GB"
run_suite "$W/corpus" "$RUNS"
echo; echo "remote destinations, the same corpus (loopback servers on this machine, sharing its cores: OpenSSH internal-sftp, s3rver $(node -p "require('$ROOT/scripts/s3rver/node_modules/s3rver/package.json').version"); curl $(curl --version | awk 'NR == 1 {print $2}')); median of $RUNS runs each:"
start_remote_servers
run_remote_suite "$W/corpus" "$RUNS" "$LOCAL_CREATE" "$LOCAL_EXTRACT"
stop_remote_servers
echo; echo "import: recognizing a cPanel-style archive of the same corpus, median of $RUNS runs each:"
run_import_suite "$W/corpus" "$RUNS"
if [ "$SCALE" -gt 0 ] && [ "$SCALE" != "$GB" ]; then
  rm -rf "$W/corpus"; make_corpus "$W/corpus" "$SCALE"
  echo; echo "memory check on a larger corpus (peak RSS must stay flat):"
  run_suite "$W/corpus" 1
fi
echo; echo "pages with a year of history:"
BENCH_RUNS=$RUNS "$ROOT/scripts/bench-pages.sh"
