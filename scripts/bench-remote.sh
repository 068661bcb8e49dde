# Sourced by bench.sh: backup and restore through the SFTP and S3 backends, against the same pipeline sending its
# stream with curl, on loopback servers this script starts (OpenSSH internal-sftp, s3rver) — docs/PERFORMANCE.md.
# Uses bench.sh's W, MNT, APP, PUB, warm, fresh_fs, timed, median, each, peak.
SFTP_USER=bp-bench

free_port() { # first port from a random start that nothing listens on
  local p=$((20000 + RANDOM % 20000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}
wait_port() { # port name — polls until it accepts connections, up to 20 s
  for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: $2 did not start on 127.0.0.1:$1"; exit 1
}

start_remote_servers() {
  local s="$W/sshd"; mkdir -p "$s" "$W/sftp" /run/sshd
  # A login-less local user (key only; '*' is "no password", not "locked", which sshd without PAM refuses).
  id "$SFTP_USER" >/dev/null 2>&1 || useradd -M -d /tmp -s /usr/sbin/nologin "$SFTP_USER"
  usermod -p '*' "$SFTP_USER"; chown "$SFTP_USER": "$W/sftp"
  ssh-keygen -q -t ed25519 -N '' -f "$s/host"; ssh-keygen -q -t ed25519 -N '' -f "$s/client"; cp "$s/client.pub" "$s/authorized_keys"
  SFTP_PORT=$(free_port)
  cat > "$s/config" <<EOF
Port $SFTP_PORT
ListenAddress 127.0.0.1
HostKey $s/host
PidFile $s/pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $s/authorized_keys
StrictModes no
AllowUsers $SFTP_USER
ForceCommand internal-sftp -d $W/sftp
Subsystem sftp internal-sftp -d $W/sftp
EOF
  /usr/sbin/sshd -f "$s/config" -E "$s/log"; wait_port "$SFTP_PORT" sshd
  SFTP_HOST_KEY=$(ssh-keygen -l -E sha256 -f "$s/host.pub" | awk '{print $2}')
  export SFTP_HOST_KEY
  S3_PORT=$(free_port); mkdir -p "$W/s3"
  node "$ROOT/scripts/s3rver/node_modules/s3rver/bin/s3rver.js" -d "$W/s3" -a 127.0.0.1 -p "$S3_PORT" --silent --configure-bucket bench \
    > "$W/s3rver.log" 2>&1 & echo $! > "$W/s3rver.pid"
  wait_port "$S3_PORT" s3rver
}
stop_remote_servers() { # safe to call twice: the second time (the exit trap) finds no pid files
  local f
  for f in "$W/sshd/pid" "$W/s3rver.pid"; do
    if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; fi
  done
}

# s3rver's fixed test credentials (not secrets); the SDK is told never to ask an instance-metadata service.
s3env=(env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_EC2_METADATA_DISABLED=true)
s3curl() { curl -sS -f --aws-sigv4 "aws:amz:us-east-1:s3" -u S3RVER:S3RVER -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
sftpcurl() { curl -sS -f --hostpubsha256 "${SFTP_HOST_KEY#SHA256:}" --key "$W/sshd/client" --pubkey "$W/sshd/client.pub" "$@"; }
export -f s3curl sftpcurl
export W

run_remote_suite() { # corpus runs local-create-median local-extract-median
  local c=$1 runs=$2 lco=$3 leo=$4 bytes r sftp s3 pipe="files.tar.zst.age"
  bytes=$(du -sb "$c" | awk '{print $1}')
  sftp="sftp://$SFTP_USER@127.0.0.1:$SFTP_PORT$W/sftp"; s3="http://127.0.0.1:$S3_PORT/bench"
  : > "$W/results.txt"
  for r in $(seq 1 "$runs"); do
    rm -rf "$W/sftp/"* "$W/s3/bench/"*
    warm "$c"; timed sftp-create-ours env BACKUPPANEL_SFTP_KEY_FILE="$W/sshd/client" "${APP[@]}" archive create --source "$c" \
      --out "$sftp/ours" --recipient "$PUB" --sftp-host-key "$SFTP_HOST_KEY"
    warm "$c"; timed sftp-create-pipe bash -c "set -o pipefail; tar -cf - -C '$c' . | zstd -3 -T0 -q | age -r '$PUB' | sftpcurl --ftp-create-dirs -T - '$sftp/pipe/$pipe'"
    fresh_fs $((bytes * 2 + (1 << 30))); warm "$W/sftp"; timed sftp-extract-ours env BACKUPPANEL_SFTP_KEY_FILE="$W/sshd/client" "${APP[@]}" archive extract \
      --from "$sftp/ours" --to "$MNT/ours" --identity "$W/key.txt" --sftp-host-key "$SFTP_HOST_KEY"
    fresh_fs $((bytes * 2 + (1 << 30))); warm "$W/sftp"; mkdir -p "$MNT/pipe"; timed sftp-extract-pipe bash -c "set -o pipefail; sftpcurl '$sftp/pipe/$pipe' | age -d -i '$W/key.txt' | zstd -d -q | tar -x -C '$MNT/pipe'"
    warm "$c"; timed s3-create-ours "${s3env[@]}" "${APP[@]}" archive create --source "$c" \
      --out "s3://bench/ours?endpoint=http://127.0.0.1:$S3_PORT&region=us-east-1" --recipient "$PUB"
    # A plain S3 PUT needs the length first, so the pipeline writes its file, then uploads it (and removes it).
    rm -rf "$W/pipe"; mkdir -p "$W/pipe"
    warm "$c"; timed s3-create-pipe bash -c "set -o pipefail; tar -cf - -C '$c' . | zstd -3 -T0 -q | age -r '$PUB' > '$W/pipe/$pipe' &&
      s3curl -T '$W/pipe/$pipe' '$s3/pipe/$pipe' && rm '$W/pipe/$pipe'"
    fresh_fs $((bytes * 2 + (1 << 30))); warm "$W/s3"; timed s3-extract-ours "${s3env[@]}" "${APP[@]}" archive extract \
      --from "s3://bench/ours?endpoint=http://127.0.0.1:$S3_PORT&region=us-east-1" --to "$MNT/ours" --identity "$W/key.txt"
    fresh_fs $((bytes * 2 + (1 << 30))); warm "$W/s3"; mkdir -p "$MNT/pipe"; timed s3-extract-pipe bash -c "set -o pipefail; s3curl '$s3/pipe/$pipe' | age -d -i '$W/key.txt' | zstd -d -q | tar -x -C '$MNT/pipe'"
  done
  echo "| operation | BackupPanel | pipeline + curl | ratio (pipeline time / ours) | ours remote ÷ ours local | peak RSS ours / pipeline |"
  echo "|---|---|---|---|---|---|"
  local k op o p l
  for k in "sftp-create SFTP create $lco" "sftp-extract SFTP extract $leo" "s3-create S3 create $lco" "s3-extract S3 extract $leo"; do
    set -- $k; op="$2 $3"; l=$4; o=$(median "$1-ours"); p=$(median "$1-pipe")
    awk -v b="$bytes" -v o="$o" -v p="$p" -v l="$l" -v op="$op" -v ro="$(peak "$1-ours")" -v rp="$(peak "$1-pipe")" 'BEGIN {
      printf "| %-14s | %.2f s, %.0f MB/s | %.2f s, %.0f MB/s | %.2f | %.2f | %d MiB / %d MiB |\n", op, o, b / o / 1e6, p, b / p / 1e6, p / o, o / l, ro, rp }'
  done
  echo "each run (s), in order: $(for k in sftp-create sftp-extract s3-create s3-extract; do printf '%s ours %s | pipeline %s; ' "$k" "$(each "$k-ours")" "$(each "$k-pipe")"; done)"
}
