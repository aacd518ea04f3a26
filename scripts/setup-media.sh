#!/usr/bin/env bash
# Installs Debian's ffmpeg (ffmpeg and ffprobe), which `pipetune augment` and `pipetune synth --video`
# run, when either program is missing. Idempotent: does nothing when both are on PATH.
set -euo pipefail

say() { echo "setup-media: $*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

if command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
  say "ffmpeg is installed ($(ffmpeg -version | head -1 | cut -d' ' -f1-3))"
  exit 0
fi
say "installing ffmpeg"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ffmpeg
say "installed $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
