#!/usr/bin/env bash
# Makes Docker ready for the pipeline tests, idempotently: installs Debian's docker.io when dockerd is
# missing, starts dockerd when the engine does not answer, waits for it (bounded), and builds the local
# test images when they are absent or out of date. Nothing is pulled from a registry: every image is
# assembled from files of this host (busybox, node and their shared libraries) and `docker import`ed.
#
#   pipetune-test/busybox:1      busybox shell and tools
#   pipetune-test/deepstream:1   busybox + test/fixtures/pipelines/fake-deepstream-app.sh as deepstream-app
#   pipetune-test/node:1         the host's node, to run the builtin pipeline in a container
#
# Environment: DOCKER_WAIT_SECONDS (default 60), DOCKERD_LOG (default /var/log/pipetune-dockerd.log).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

wait_seconds=${DOCKER_WAIT_SECONDS:-60}
dockerd_log=${DOCKERD_LOG:-/var/log/pipetune-dockerd.log}

say() { echo "setup-docker: $*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}
apt_install() {
  say "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# --- engine -----------------------------------------------------------------------------------------
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  apt_install docker.io
fi
if ! docker info >/dev/null 2>&1; then
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    say "starting dockerd (log: $dockerd_log)"
    as_root sh -c "nohup dockerd >>'$dockerd_log' 2>&1 &"
  fi
  for _ in $(seq "$wait_seconds"); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { say "the Docker engine did not answer within ${wait_seconds}s; see $dockerd_log"; exit 1; }
fi
say "engine $(docker version --format '{{.Server.Version}}') is up"

# --- test images ------------------------------------------------------------------------------------
command -v busybox >/dev/null 2>&1 || apt_install busybox-static
busybox_bin=$(command -v busybox)
node_bin=$(command -v node)
fake_ds=$repo/test/fixtures/pipelines/fake-deepstream-app.sh

# Copies a program and the shared libraries it links (none for a static busybox) into a rootfs.
copy_with_libs() {
  local program=$1 rootfs=$2 target=$3
  install -D -m 0755 "$program" "$rootfs$target"
  ldd "$program" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
    install -D -m 0755 "$(readlink -f "$lib")" "$rootfs$lib"
  done || true
}

busybox_rootfs() {
  local rootfs=$1
  copy_with_libs "$busybox_bin" "$rootfs" /bin/busybox
  for applet in $("$busybox_bin" --list); do
    [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
  done
  install -d -m 1777 "$rootfs/tmp"
}

node_rootfs() {
  local rootfs=$1
  copy_with_libs "$node_bin" "$rootfs" /usr/bin/node
  install -d -m 1777 "$rootfs/tmp"
}

deepstream_rootfs() {
  local rootfs=$1
  busybox_rootfs "$rootfs"
  install -D -m 0755 "$fake_ds" "$rootfs/usr/bin/deepstream-app"
}

# What an image is built from; a change rebuilds it.
build_id() {
  { cat "$0"; "$busybox_bin" | head -1; "$node_bin" --version; cat "$fake_ds"; } | sha256sum | cut -c1-16
}

ensure_image() {
  local tag=$1 make_rootfs=$2 id current rootfs
  id=$(build_id)
  current=$(docker image inspect -f '{{index .Config.Labels "io.pipetune.test-build"}}' "$tag" 2>/dev/null || true)
  if [ "$current" = "$id" ]; then
    say "$tag is up to date"
    return
  fi
  say "building $tag"
  rootfs=$(mktemp -d)
  "$make_rootfs" "$rootfs"
  tar -C "$rootfs" -c . | docker import \
    --change "LABEL io.pipetune.test-build=$id" \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    - "$tag" >/dev/null
  rm -rf "$rootfs"
}

ensure_image pipetune-test/busybox:1 busybox_rootfs
ensure_image pipetune-test/deepstream:1 deepstream_rootfs
ensure_image pipetune-test/node:1 node_rootfs
say "test images ready"
