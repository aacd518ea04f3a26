#!/usr/bin/env bash
# Lays out MOT15 and MOT17 train public detections for the sample configs configs/mot15-*.yml and
# configs/mot17-*.yml as data/MOT15/<seq> and data/MOT17/<seq> (seqinfo.ini, det/det.txt, gt/gt.txt),
# by symbolic links into a copy of the data you already have. The data is not in the repository: the
# MOTChallenge files are CC BY-NC-SA 3.0 and MOT15's detection files come from a GPL-3.0 repository
# (docs/real-data.md says where to get them).
#
#   bash scripts/mot-data.sh [SOURCE]   # SOURCE holds mot15/train/<seq>/ and mot17/{gt,public-det}/<seq>/;
#                                       # default: ../shared/data
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$(cd "${1:-$root/../shared/data}" 2>/dev/null && pwd)" || {
  echo "mot-data: ${1:-$root/../shared/data}: folder not found; expected mot15/train/<seq>/ and mot17/{gt,public-det}/<seq>/" >&2
  exit 2
}
need() { [ -e "$1" ] || { echo "mot-data: $1: not found (expected $2)" >&2; exit 2; }; }

mkdir -p "$root/data/MOT15" "$root/data/MOT17"
for seq in ADL-Rundle-6 ETH-Bahnhof ETH-Sunnyday KITTI-13 PETS09-S2L1 TUD-Campus; do
  from="$src/mot15/train/$seq"
  for part in seqinfo.ini det/det.txt gt/gt.txt; do need "$from/$part" "MOT15 train $seq"; done
  ln -sfn "$from" "$root/data/MOT15/$seq"
done
for seq in MOT17-05-FRCNN MOT17-09-FRCNN MOT17-09-SDP; do
  det="$src/mot17/public-det/$seq"
  gt="$src/mot17/gt/$seq"
  need "$det/det/det.txt" "MOT17 public detections of $seq"
  need "$gt/gt/gt.txt" "MOT17 train ground truth of $seq"
  mkdir -p "$root/data/MOT17/$seq"
  ln -sfn "$det/seqinfo.ini" "$root/data/MOT17/$seq/seqinfo.ini"
  ln -sfn "$det/det" "$root/data/MOT17/$seq/det"
  ln -sfn "$gt/gt" "$root/data/MOT17/$seq/gt"
done
echo "mot-data: data/MOT15 (6 sequences) and data/MOT17 (3 sequences) link into $src"
