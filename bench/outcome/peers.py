"""Public trackers run beside pipetune on the same detection files (bench/outcome, never shipped).

Runs one of SORT, ByteTrack or OC-SORT with its authors' default parameters on every sequence of a
seqmap and writes MOT rows `<out>/<seq>.txt`. The trackers come from PyPI packages installed by
bench/outcome/run.ts into the git-ignored venv bench/.cache/peers (sort-track, bytetracker, ocsort).

  python peers.py {sort|bytetrack|ocsort} DATASET SEQMAP OUT [--rescale LOW]

--rescale LOW maps detection scores from [LOW, 1] onto [0, 1] (MOT15's Faster R-CNN scores start at
0.5, so a tracker's score thresholds, tuned on [0, 1] scores, would pass every detection as "high").
"""
import argparse
import configparser
import os
import sys
import types

import numpy as np

# bytetracker imports torch only to recognise tensors; these trackers run on numpy arrays here.
sys.modules.setdefault("torch", types.SimpleNamespace(Tensor=type("Tensor", (), {})))


class Rows(np.ndarray):
    """The packaged trackers call `.numpy()` on slices of their input (a torch habit)."""

    def numpy(self):
        return np.asarray(self)


def make_tracker(name, frame_rate):
    if name == "sort":
        from sort.tracker import SortTracker

        return SortTracker(max_age=1, min_hits=3, iou_threshold=0.3)
    if name == "bytetrack":
        from bytetracker import BYTETracker

        # tools/track.py defaults of the ByteTrack repository (MOT17 evaluation).
        return BYTETracker(track_thresh=0.6, track_buffer=30, match_thresh=0.9, frame_rate=30)
    if name == "ocsort":
        from ocsort import OCSort

        # OC-SORT's MOT17 defaults.
        return OCSort(det_thresh=0.6, max_age=30, min_hits=3, iou_threshold=0.3, delta_t=3, inertia=0.2)
    raise SystemExit(f"peers.py: unknown tracker {name!r}; expected sort, bytetrack or ocsort")


def run_sequence(name, seq_dir, out_path, rescale):
    info = configparser.ConfigParser()
    info.read(os.path.join(seq_dir, "seqinfo.ini"))
    frames = int(info["Sequence"]["seqLength"])
    frame_rate = float(info["Sequence"].get("frameRate", "30"))
    det = np.loadtxt(os.path.join(seq_dir, "det", "det.txt"), delimiter=",", ndmin=2)
    tracker = make_tracker(name, frame_rate)
    lines = []
    for frame in range(1, frames + 1):
        d = det[det[:, 0] == frame]
        score = d[:, 6]
        if rescale is not None:
            score = np.clip((score - rescale) / (1 - rescale), 0, 1)
        rows = np.column_stack(
            [d[:, 2], d[:, 3], d[:, 2] + d[:, 4], d[:, 3] + d[:, 5], score, np.zeros(len(d))]
        ).view(Rows)
        out = tracker.update(rows, None)
        for r in np.asarray(out).reshape(-1, np.asarray(out).shape[-1] if len(out) else 1):
            if len(r) < 5:
                continue
            x1, y1, x2, y2, tid = r[:5]
            lines.append(f"{frame},{int(tid)},{x1:.2f},{y1:.2f},{x2 - x1:.2f},{y2 - y1:.2f},1,-1,-1,-1\n")
    with open(out_path, "w") as f:
        f.writelines(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("tracker")
    p.add_argument("dataset")
    p.add_argument("seqmap")
    p.add_argument("out")
    p.add_argument("--rescale", type=float)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(a.seqmap) as f:
        names = [line.split(",")[0].strip() for line in f.readlines()[1:] if line.strip()]
    for seq in names:
        run_sequence(a.tracker, os.path.join(a.dataset, seq), os.path.join(a.out, f"{seq}.txt"), a.rescale)


if __name__ == "__main__":
    main()
