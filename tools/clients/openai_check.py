#!/usr/bin/env python3
"""Optional check: the real OpenAI Python SDK against a running `vitrail serve`.

Not part of the Maven suite (the Java tests never need Python); RequestShapesTest sends the bytes
this script captures. Needs the `openai` package (the reference venv /tmp/vitrail-ref has it).

    ./vitrail serve --model models/clip-tiny --port 8941 &               # or with VITRAIL_API_KEYS=sk-a
    /tmp/vitrail-ref/bin/python tools/clients/openai_check.py --port 8941 [--api-key sk-a] \
        [--dump-requests DIR]

Each SDK call (its default encoding_format "base64", "float", `dimensions`, `extra_body` fields,
a quantized format through extra_body, an API key) is compared with what the server answers to
the same request in float JSON, sent without the SDK. With --api-key it also checks that a wrong
key is refused with 401 and the JSON error envelope. --dump-requests writes each request body the
SDK sent (exact bytes) to DIR. Exit status 0 when every check passes.
"""
import argparse
import array
import base64
import json
import pathlib
import sys
import urllib.error
import urllib.request

import openai

ROOT = pathlib.Path(__file__).resolve().parents[2]


def data_url(path):
    kind = "jpeg" if path.suffix.lower() in (".jpg", ".jpeg") else path.suffix.lower()[1:]
    return f"data:image/{kind};base64," + base64.b64encode(path.read_bytes()).decode()


def f32(values):
    """The values rounded to float32, as the server computed them."""
    return array.array("f", values).tolist()


class Check:
    def __init__(self, port, key):
        self.base = f"http://127.0.0.1:{port}/v1"
        self.key = key
        self.sent = []
        self.failures = 0
        hooks = {"request": [self._capture]}
        self.client = openai.OpenAI(
            base_url=self.base,
            api_key=key or "no-key",
            max_retries=0,
            http_client=openai.DefaultHttpxClient(event_hooks=hooks),
        )

    def _capture(self, request):
        request.read()
        self.sent.append(
            {"path": request.url.path, "auth": "authorization" in request.headers,
             "body": bytes(request.content)})

    def raw(self, body, key=None):
        """POST /v1/embeddings without the SDK; (status, parsed JSON)."""
        req = urllib.request.Request(
            self.base + "/embeddings", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        if key or self.key:
            req.add_header("Authorization", "Bearer " + (key or self.key))
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def model(self):
        req = urllib.request.Request(self.base + "/models")
        if self.key:
            req.add_header("Authorization", "Bearer " + self.key)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)["data"][0]["id"]

    def report(self, name, ok, detail=""):
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        if not ok:
            self.failures += 1

    def compare(self, name, sdk, reference_body):
        """SDK answer vs the server's float JSON for the same request (float32-exact)."""
        status, ref = self.raw(reference_body)
        if status != 200:
            self.report(name, False, f"reference request answered {status}: {ref}")
            return
        got = [list(d.embedding) for d in sdk.data]
        want = [f32(d["embedding"]) for d in ref["data"]]
        same = len(got) == len(want) and all(f32(g) == w for g, w in zip(got, want))
        worst = max((abs(a - b) for g, w in zip(got, want) for a, b in zip(g, w)), default=0.0)
        shapes = [getattr(d, "shape", None) for d in sdk.data]
        self.report(name, same and sdk.model == ref["model"],
                    f"{len(got)} vectors, shapes {shapes}, max |diff| {worst:.3g},"
                    f" usage {sdk.usage.total_tokens}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--api-key", default=None, help="a key the server admits (VITRAIL_API_KEYS)")
    ap.add_argument("--model", default=None, help="default: the first of /v1/models")
    ap.add_argument("--dump-requests", default=None, metavar="DIR")
    ap.add_argument("images", nargs="*", type=pathlib.Path,
                    default=[ROOT / "samples/rgb_17x23.png", ROOT / "samples/rgb_300x200.jpg"])
    args = ap.parse_args()
    c = Check(args.port, args.api_key)
    model = args.model or c.model()
    inputs = [data_url(p) for p in args.images]
    print(f"openai {openai.__version__}, model {model!r}, {len(inputs)} images")
    calls = [
        ("sdk-default-base64", {}, {}),
        ("sdk-float", {"encoding_format": "float"}, {}),
        ("sdk-pooled-extra-body", {}, {"pooled": True}),
        ("sdk-dimensions-user", {"dimensions": 8, "user": "u-1", "encoding_format": "float"}, {}),
        ("sdk-normalize-extra-body", {}, {"pooled": True, "normalize": True}),
        ("sdk-int8-extra-body", {"dimensions": 16}, {"encoding_format": "int8"}),
    ]
    for name, kwargs, extra in calls:
        before = len(c.sent)
        try:
            sdk = c.client.embeddings.create(
                model=model, input=inputs, extra_body=extra or None, **kwargs)
        except openai.APIError as e:
            c.report(name, False, f"{type(e).__name__}: {e}")
            continue
        sent = json.loads(c.sent[before]["body"])
        reference = dict(sent, encoding_format="float")
        if sent.get("encoding_format") not in ("base64", "float"):
            reference = dict(sent)  # a quantized format: compared with its own JSON answer
        c.compare(name, sdk, reference)
        if args.dump_requests:
            out = pathlib.Path(args.dump_requests)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.json").write_bytes(c.sent[before]["body"])
    first = json.loads(c.sent[0]["body"]) if c.sent else {}
    c.report("sdk default sends encoding_format base64",
             first.get("encoding_format") == "base64", f"keys {list(first)}")
    if args.api_key:
        c.report("sdk sent Authorization", all(s["auth"] for s in c.sent))
        bad = openai.OpenAI(base_url=c.base, api_key="wrong-" + args.api_key, max_retries=0)
        try:
            bad.embeddings.create(model=model, input=inputs[:1])
            c.report("wrong key refused", False, "answered 200")
        except openai.AuthenticationError as e:
            body = e.body if isinstance(e.body, dict) else {}
            c.report("wrong key refused", e.status_code == 401 and "message" in body,
                     f"{e.status_code} {body.get('type')}")
    print(f"{c.failures} failed" if c.failures else "all checks passed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
