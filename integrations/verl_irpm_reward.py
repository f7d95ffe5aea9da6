"""IRPM rewards for veRL, computed by a running `deno task serve` (POST /irpm/rewards).

Usage (veRL's batch reward manager calls ``compute_score`` once per batch)::

    # /irpm/rewards is pure arithmetic on the policy GRM's outputs: any checkpoint will do
    deno task serve checkpoints/warmstart-small --port 8000 &
    python -m verl.trainer.main_ppo \
        reward_model.reward_manager=batch \
        custom_reward_function.path=integrations/verl_irpm_reward.py \
        custom_reward_function.name=compute_score \
        +custom_reward_function.reward_kwargs.url=http://127.0.0.1:8000 \
        ...

Each rollout of the batch is one GRM judgment (``solution_strs[i]``, the critique and score the
policy GRM wrote) of one side of a preference pair. Which pair and side, and the preference
strength, come from ``extra_infos[i]`` (``{"pair": ..., "side": "chosen"|"rejected",
"strength": 0..3}``) or, as in the IRPM authors' veRL data, from ``ground_truths[i]`` written as
``"<domain>#-#<strength>#-#<pair>_<0|1>"`` (suffix 0: chosen, 1: rejected). Both groups of a pair
must be in the same batch (the released recipe puts them there).

Returns one dict per rollout: ``{"score": reward, "grm_score": s, "format_penalty": p,
"valid": 0|1}``; veRL uses ``score`` as the reward and logs the rest. The reward design, margin
and alpha are the server's (``--design``, ``--margin``, ``--alpha``).

Settings: ``url`` and ``token`` keyword arguments, else the environment variables
``IRPM_SERVE_URL`` (default ``http://127.0.0.1:5000``) and ``IRPM_SERVE_TOKEN``. Python standard
library only. Run this file to score JSONL rollouts from stdin (a smoke test of the server)::

    python3 integrations/verl_irpm_reward.py < data/samples/rollouts_sample.jsonl
"""

import json
import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:5000"


def _post_json(url, path, body, token=None, timeout=600):
    request = urllib.request.Request(
        url.rstrip("/") + path,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        raise RuntimeError("%s%s answered %d: %s" % (url, path, error.code, detail)) from None


def rollout_of(solution_str, ground_truth, extra_info):
    """The ``/irpm/rewards`` rollout (without id) of one veRL sample."""
    info = extra_info if isinstance(extra_info, dict) else {}
    if "pair" in info and "side" in info:
        pair, side, strength = info["pair"], info["side"], info.get("strength", 2)
    else:
        try:
            _domain, strength, label = str(ground_truth).split("#-#")
            pair, index = label.rsplit("_", 1)
            side = "chosen" if int(index) == 0 else "rejected"
        except ValueError:
            raise ValueError(
                "rollout needs extra_info {pair, side, strength} or a ground_truth "
                "'<domain>#-#<strength>#-#<pair>_<0|1>', got %r" % (ground_truth,)
            ) from None
    return {"pair": str(pair), "side": side, "strength": abs(float(strength)), "text": solution_str}


def compute_score(data_sources, solution_strs, ground_truths, extra_infos, **kwargs):
    """veRL batch reward: one dict per rollout, ``score`` being the IRPM reward."""
    url = kwargs.get("url") or os.environ.get("IRPM_SERVE_URL", DEFAULT_URL)
    token = kwargs.get("token") or os.environ.get("IRPM_SERVE_TOKEN")
    infos = extra_infos if extra_infos is not None else [None] * len(solution_strs)
    rollouts = []
    for i, (text, truth, info) in enumerate(zip(solution_strs, ground_truths, infos)):
        rollout = rollout_of(text, truth, info)
        rollout["id"] = i
        rollouts.append(rollout)
    reply = _post_json(url, "/irpm/rewards", {"rollouts": rollouts}, token)
    out = [None] * len(rollouts)
    for line in reply["rewards"]:
        out[line["id"]] = {
            "score": line["reward"],
            "grm_score": line["score"],
            "format_penalty": line["format_penalty"],
            "valid": 1 if line["valid"] else 0,
        }
    return out


if __name__ == "__main__":
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    results = compute_score(
        ["irpm"] * len(rows),
        [row["text"] for row in rows],
        [None] * len(rows),
        [{"pair": row["pair"], "side": row["side"], "strength": row["strength"]} for row in rows],
    )
    for result in results:
        print(json.dumps(result))
