"""A TRL ``GRPOTrainer`` reward function backed by a running `deno task serve` (POST /get_reward).

Usage::

    deno task serve runs/mean/checkpoint --port 8000 --votes 4 &
    # in the training script:
    from trl import GRPOTrainer
    from trl_reward import make_grm_reward          # integrations/ on PYTHONPATH
    trainer = GRPOTrainer(model=..., reward_funcs=[make_grm_reward("http://127.0.0.1:8000")], ...)

The GRM judges each completion alone (pointwise, O(n)) and the reward is its score on the 0-10
scale (voting@k when the server runs ``--votes k``). A completion whose judgment does not parse
gets the server's ``--invalid-reward`` (default 5, the scale's middle), never a silent 0.

Prompts and completions may be plain strings (standard format) or lists of ``{"role",
"content"}`` messages (conversational format); messages are rendered as ChatML, which the server
parses back into turns. Python standard library only; ``url`` and ``token`` default to the
environment variables ``IRPM_SERVE_URL`` (else ``http://127.0.0.1:5000``) and
``IRPM_SERVE_TOKEN``.
"""

import json
import os
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:5000"


def render(messages_or_text, open_reply=False):
    """A prompt or completion as text: strings as they are, message lists as ChatML."""
    if isinstance(messages_or_text, str):
        return messages_or_text
    text = "".join(
        "<|im_start|>%s\n%s<|im_end|>\n" % (m["role"], m["content"]) for m in messages_or_text
    )
    return text + ("<|im_start|>assistant\n" if open_reply else "")


def completion_text(completion):
    """The completion's text (a conversational completion is its assistant messages' content)."""
    if isinstance(completion, str):
        return completion
    return "".join(m["content"] for m in completion)


def make_grm_reward(url=None, token=None, timeout=600):
    """Returns ``reward(prompts, completions, **kwargs) -> list[float]`` for ``reward_funcs``."""
    url = (url or os.environ.get("IRPM_SERVE_URL", DEFAULT_URL)).rstrip("/")
    token = token or os.environ.get("IRPM_SERVE_TOKEN")

    def irpm_grm(prompts, completions, **kwargs):
        rendered = [render(p, open_reply=not isinstance(p, str)) for p in prompts]
        body = {
            "query": [p + completion_text(c) for p, c in zip(rendered, completions)],
            "prompts": rendered,
        }
        request = urllib.request.Request(
            url + "/get_reward",
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return [float(r) for r in json.loads(response.read().decode("utf-8"))["rewards"]]
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")
            raise RuntimeError("%s/get_reward answered %d: %s" % (url, error.code, detail)) from None

    return irpm_grm


grm_reward = make_grm_reward()
"""The reward function with the environment's settings (``IRPM_SERVE_URL``, ``IRPM_SERVE_TOKEN``)."""
