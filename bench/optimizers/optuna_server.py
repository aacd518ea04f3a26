"""Optuna side of the optimizer benchmark: an ask/tell server on stdin/stdout (one JSON object per line).

The Node benchmark owns the functions and the loop; this process only runs Optuna's samplers, so both sides
see the same functions, bounds and seeds. Requests: {"op": "new", "sampler", "seed", "space"} (optionally
"directions": ["minimize", "maximize", ...] for a multi-objective study), {"op": "ask", "n"},
{"op": "tell", "results": [{"id", "value"}]} (multi-objective: "values" instead of "value").
"""
import json
import sys
import warnings

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")


def make_sampler(name, seed):
    # With several directions TPESampler is MOTPE (good set by non-domination rank and hypervolume).
    if name == "optuna-tpe":  # 4.x defaults: independent TPE, no constant liar
        return optuna.samplers.TPESampler(seed=seed)
    if name == "optuna-tpe-mv":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True)
    if name == "optuna-gp":
        import torch  # only GPSampler needs torch; the multi-objective benchmark's venv may lack it

        torch.set_num_threads(1)  # one core, like our side
        return optuna.samplers.GPSampler(seed=seed)
    if name == "optuna-nsga2":  # defaults: population 50, uniform crossover
        return optuna.samplers.NSGAIISampler(seed=seed)
    raise ValueError(f"unknown sampler {name}")


def distributions(space):
    out = {}
    for dim in space["dimensions"]:
        if dim["kind"] == "real":
            out[dim["name"]] = FloatDistribution(dim["low"], dim["high"], log=dim["log"])
        elif dim["kind"] == "int":
            out[dim["name"]] = IntDistribution(dim["low"], dim["high"], log=dim["log"])
        else:
            out[dim["name"]] = CategoricalDistribution(dim["choices"])
    return out


def main():
    study = None
    dists = None
    running = {}
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "new":
            study = optuna.create_study(
                directions=req.get("directions", ["minimize"]),
                sampler=make_sampler(req["sampler"], req["seed"]),
            )
            dists = distributions(req["space"])
            running = {}
            reply = {"ok": True, "version": optuna.__version__}
        elif req["op"] == "ask":
            trials = [study.ask(dists) for _ in range(req["n"])]
            for t in trials:
                running[t.number] = t
            reply = {"trials": [{"id": t.number, "params": t.params} for t in trials]}
        elif req["op"] == "tell":
            for r in req["results"]:
                study.tell(running.pop(r["id"]), r["values"] if "values" in r else r["value"])
            reply = {"ok": True}
        else:
            reply = {"error": f"unknown op {req['op']}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
