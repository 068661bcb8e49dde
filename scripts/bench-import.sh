# Sourced by bench.sh: `import inspect` of a cPanel-style archive of the corpus against `tar -t` reading the same
# archive (both one streaming pass: decompress and walk every header), median of RUNS, with peak RSS.
run_import_suite() { # corpus runs
  local c=$1 runs=$2 a="$W/cpmove-bench.tar.zst" bytes
  mkdir -p "$W/acct/cp"
  printf 'USER=bench\nDNS=bench.example\n' > "$W/acct/cp/bench"; echo "pkgacct version: 10" > "$W/acct/version"
  tar -cf - --transform 's,^acct,cpmove-bench,' --transform "s,^$(basename "$c"),cpmove-bench/homedir/public_html," \
    -C "$W" acct -C "$(dirname "$c")" "$(basename "$c")" | zstd -3 -T0 -q > "$a"
  bytes=$(du -sb "$c" | awk '{print $1}')
  : > "$W/results.txt"
  for r in $(seq 1 "$runs"); do
    sync; cat "$a" > /dev/null; timed inspect-ours "${APP[@]}" import inspect "$a"
    sync; cat "$a" > /dev/null; timed inspect-tar bash -c "zstd -d -q -c '$a' | tar -tvf - > /dev/null"
  done
  awk -v b="$bytes" -v o="$(median inspect-ours)" -v t="$(median inspect-tar)" -v ro="$(peak inspect-ours)" -v rt="$(peak inspect-tar)" -v s="$(stat -c %s "$a")" 'BEGIN {
    printf "archive %.1f MiB (zstd), %.2f GiB unpacked\n", s / 2^20, b / 2^30
    printf "| operation | BackupPanel | zstd -d \\| tar -tv | ratio (tar time / ours) | peak RSS ours / tar |\n|---|---|---|---|---|\n"
    printf "| import inspect | %.2f s, %.0f MB/s | %.2f s | %.2f | %d MiB / %d MiB |\n", o, b / o / 1e6, t, t / o, ro, rt }'
  echo "each run (s), in order: ours $(each inspect-ours) | tar $(each inspect-tar)"
  rm -rf "$W/acct" "$a"
}
