#!/usr/bin/env bash
# Start a pipetune study with the Temporal CLI only, and wait for its result.
#   examples/temporal-cli.sh <config.yml> <root-dir> <name>
# Workers (`pipetune worker --control`, `pipetune worker --gpu N`) must be polling the same server.
# The input's shape is docs/workflow-input.schema.json; paths must be absolute.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 <config.yml> <root-dir> <name>" >&2
  exit 2
fi
temporal=${PIPETUNE_TEMPORAL_CLI:-temporal}
address=${TEMPORAL_ADDRESS:-127.0.0.1:7233}
config=$(realpath "$1")
root=$(realpath "$2")
name=$3
input=$(printf '{"study":{"name":"%s","configPath":"%s","rootDir":"%s","outputDir":"%s"}}' \
  "$name" "$config" "$root" "$root/output/${name}_output")
"$temporal" workflow start --address "$address" --type tuningStudy --task-queue pipetune-control \
  --workflow-id "pipetune-$name" --input "$input"
"$temporal" workflow result --address "$address" --workflow-id "pipetune-$name"
