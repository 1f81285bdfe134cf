"""Token-count goldens for the VLM encoder tier, from the consumers' own HF processors.

Runs transformers' processors (PIL backend) on images of many sizes and
records what the consumer's prompt holds per image: for Pixtral (PixtralProcessor, the real token
expansion) the number of [IMG] tokens (rows of the encoder-cache entry) and the [IMG_BREAK] /
[IMG_END] tokens the language model embeds itself; for Qwen3-VL (its Qwen2VLImageProcessor with
Qwen3-VL's patch 16 / merge 2 / size bounds) image_grid_thw and the <|image_pad|> count. A throw-away word-level tokenizer holds
the special tokens, so nothing is downloaded.

  /tmp/vitrail-ref/bin/python bench/ec_token_goldens.py \
      runtime/src/test/resources/golden/vlm/token_counts.json
"""
import json
import random
import sys
import importlib.machinery
import types

import numpy as np
from PIL import Image
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast
import transformers
from transformers.models.pixtral.image_processing_pil_pixtral import PixtralImageProcessorPil
# PixtralProcessor imports a helper from the torchvision-backed image processor module; the
# reference venv has no torchvision. The functions used here (the PIL image processor and the
# processor's token expansion) never touch it, so an empty stand-in satisfies the import.
if "torchvision" not in sys.modules:
    try:
        import torchvision  # noqa: F401
    except ImportError:
        for name in ["torchvision", "torchvision.transforms", "torchvision.transforms.v2",
                     "torchvision.transforms.v2.functional"]:
            sys.modules[name] = types.ModuleType(name)
            sys.modules[name].__spec__ = importlib.machinery.ModuleSpec(name, None)
        sys.modules["torchvision.transforms.v2"].functional = sys.modules[
            "torchvision.transforms.v2.functional"]
        sys.modules["torchvision.transforms"].v2 = sys.modules["torchvision.transforms.v2"]
        sys.modules["torchvision"].transforms = sys.modules["torchvision.transforms"]
from transformers.models.pixtral.processing_pixtral import PixtralProcessor  # noqa: E402
from transformers.models.kimi_k25.image_processing_kimi_k25 import navit_resize  # noqa: E402
from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

SPECIAL = ["[IMG]", "[IMG_BREAK]", "[IMG_END]", "<|image_pad|>", "<|video_pad|>",
           "<|vision_start|>", "<|vision_end|>"]


def tokenizer():
    vocab = {"[UNK]": 0}
    for t in SPECIAL:
        vocab[t] = len(vocab)
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]")
    fast.add_special_tokens({"additional_special_tokens": SPECIAL})
    fast.image_token = "<|image_pad|>"
    fast.video_token = "<|video_pad|>"
    fast.vision_start_token = "<|vision_start|>"
    fast.vision_end_token = "<|vision_end|>"
    return fast


def sizes(seed, count, longest):
    rnd = random.Random(seed)
    fixed = [(1, 1), (1, 7), (7, 1), (8, 8), (9, 9), (24, 40), (40, 24), (64, 64), (65, 64),
             (63, 129), (150, 90), (448, 448), (1024, 1024), (1025, 1023), (2048, 512), (512, 2048),
             (3000, 17), (17, 3000), (333, 777)]
    out = [(w, h) for w, h in fixed if max(w, h) <= longest]
    while len(out) < count:
        w = rnd.randint(1, longest)
        h = rnd.randint(1, longest)
        out.append((w, h))
    return out


def image(w, h, seed):
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))


def pixtral_cases(tok, longest_edge, patch, seed):
    ip = PixtralImageProcessorPil(size={"longest_edge": longest_edge},
                                  patch_size={"height": patch, "width": patch})
    proc = PixtralProcessor(image_processor=ip, tokenizer=tok, patch_size=patch)
    cases = []
    for i, (w, h) in enumerate(sizes(seed, 60, 3000)):
        try:
            out = proc(text="[IMG]", images=[image(w, h, i)], return_tensors="np")
        except ValueError as e:
            cases.append({"width": w, "height": h, "error": str(e)})
            continue
        ids = list(out["input_ids"][0])
        rh, rw = [int(x) for x in out["image_sizes"][0]]
        cases.append({
            "width": w, "height": h,
            "resized": [rh, rw],
            "img_tokens": ids.count(tok.convert_tokens_to_ids("[IMG]")),
            "break_tokens": ids.count(tok.convert_tokens_to_ids("[IMG_BREAK]")),
            "end_tokens": ids.count(tok.convert_tokens_to_ids("[IMG_END]")),
            "prompt_tokens": len(ids),
        })
    return {"longest_edge": longest_edge, "patch_size": patch, "cases": cases}


def qwen3_cases(tok, shortest, longest, seed):
    ip = Qwen2VLImageProcessorPil(patch_size=16, merge_size=2, temporal_patch_size=2,
                                  size={"shortest_edge": shortest, "longest_edge": longest},
                                  image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5])
    cases = []
    for i, (w, h) in enumerate(sizes(seed, 50, 2500)):
        try:
            out = ip(images=[image(w, h, i)], return_tensors="np")
        except ValueError as e:
            cases.append({"width": w, "height": h, "error": str(e)})
            continue
        grid = [int(x) for x in out["image_grid_thw"][0]]
        cases.append({
            "width": w, "height": h,
            "grid_thw": grid,
            # Qwen3VLProcessor expands each <|image_pad|> to image_grid_thw.prod() // merge_size**2
            # (its constructor needs a video processor, which needs torchvision)
            "image_pad_tokens": grid[0] * grid[1] * grid[2] // 4,
        })
    return {"min_pixels": shortest, "max_pixels": longest, "patch_size": 16, "merge_size": 2,
            "cases": cases}


def kimi_cases(patch, merge, max_patches, per_side, seed):
    # Kimi_K25ImageProcessor (torchvision backend) sizes images with navit_resize and its processor
    # puts image_grid_thw.prod() // merge_size**2 <|media_pad|> tokens per image; vLLM's
    # media_tokens_calculator (the checkpoint's remote code) re-states the same resize.
    cases = []
    for w, h in sizes(seed, 60, 9000):
        (nh, nw), (ph, pw) = navit_resize(h, w, patch, merge, max_patches, per_side)
        grid = [1, ph // patch, pw // patch]
        cases.append({"width": w, "height": h, "resized": [nh, nw], "grid_thw": grid,
                      "media_pad_tokens": grid[1] * grid[2] // merge ** 2})
    return {"patch_size": patch, "merge_size": merge, "in_patch_limit": max_patches,
            "patch_limit_on_one_side": per_side, "cases": cases}


def main(path):
    tok = tokenizer()
    doc = {
        "transformers": transformers.__version__,
        "pixtral": [pixtral_cases(tok, 64, 8, 1), pixtral_cases(tok, 1024, 16, 2)],
        "qwen3_vl": [qwen3_cases(tok, 65536, 16777216, 3), qwen3_cases(tok, 4096, 200704, 4)],
        "kimi_k25": [kimi_cases(14, 2, 16384, 512, 5), kimi_cases(8, 2, 1024, 64, 6)],
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
