#!/usr/bin/env python3
"""Converts pytorch-fid's FID Inception weights to the format InceptionV3Extractor.load reads.

    python3 convert_pytorch_fid_weights.py pt_inception-2015-12-05-6726825d.pth OUT_DIR

The input is pytorch-fid's public state dict (FID_WEIGHTS_URL in pytorch_fid/inception.py:
https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth),
downloaded on a machine with internet. OUT_DIR receives model.json (a TF.js weights manifest) and
weights.bin (float32, little-endian, manifest order). Every BasicConv2d's batch norm (eps 1e-3) is
folded into its convolution: kernel = W·γ/√(var + ε) as [kh, kw, in, out], bias = β − mean·γ/√(var + ε);
fc.weight [1008, 2048] is stored transposed as fc/kernel [2048, 1008], with fc/bias.

Needs torch (CPU) and numpy only. `--selftest OUT_DIR INPUT.npy OUTPUT.npy` instead builds the
FID Inception in torch (pytorch-fid's FIDInceptionA/C/E_1/E_2 on torchvision's Inception3 layout,
written out below) with random weights and batch-norm statistics, converts it to OUT_DIR, and writes
the pool3 features and unbiased logits of INPUT.npy ([b, h, w, 3] in [0, 1]) to OUTPUT.npy — the
@ot/metrics test suite uses it to check the TF.js network against torch.
"""
import json
import pathlib
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-3


def convert(state, out_dir):
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs, blobs = [], []

    def add(name, arr):
        arr = np.ascontiguousarray(arr, dtype="<f4")
        specs.append({"name": name, "shape": list(arr.shape), "dtype": "float32"})
        blobs.append(arr.tobytes())

    convs = [k[: -len(".conv.weight")] for k in state if k.endswith(".conv.weight")]
    if not convs or "fc.weight" not in state:
        raise SystemExit("not a pytorch-fid / torchvision Inception3 state dict (no '*.conv.weight' or 'fc.weight')")
    for prefix in convs:
        w = state[prefix + ".conv.weight"].double().numpy()
        gamma = state[prefix + ".bn.weight"].double().numpy()
        beta = state[prefix + ".bn.bias"].double().numpy()
        mean = state[prefix + ".bn.running_mean"].double().numpy()
        var = state[prefix + ".bn.running_var"].double().numpy()
        scale = gamma / np.sqrt(var + BN_EPS)
        name = prefix.replace(".", "/")
        add(name + "/kernel", (w * scale[:, None, None, None]).transpose(2, 3, 1, 0))
        add(name + "/bias", beta - mean * scale)
    add("fc/kernel", state["fc.weight"].double().numpy().T)
    add("fc/bias", state["fc.bias"].double().numpy())
    (out_dir / "weights.bin").write_bytes(b"".join(blobs))
    manifest = {"format": "ot-weights", "model": "fid-inception-v3", "version": 1,
                "description": "FID InceptionV3 converted from pytorch-fid weights (batch norm folded)",
                "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}]}
    (out_dir / "model.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {out_dir / 'model.json'} and weights.bin ({len(convs)} convolutions)")


# ---- the FID Inception in torch (for --selftest): torchvision's Inception3 blocks with pytorch-fid's changes
class BasicConv2d(nn.Module):
    def __init__(self, cin, cout, **kw):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, bias=False, **kw)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class FIDInceptionA(nn.Module):
    def __init__(self, cin, pool_features):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch5x5_1 = BasicConv2d(cin, 48, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48, 64, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(cin, pool_features, kernel_size=1)

    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b5, b3, bp], 1)


class InceptionB(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3 = BasicConv2d(cin, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, stride=2)

    def forward(self, x):
        b3 = self.branch3x3(x)
        bd = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([b3, bd, F.max_pool2d(x, 3, stride=2)], 1)


class FIDInceptionC(nn.Module):
    def __init__(self, cin, c7):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x):
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = self.branch7x7dbl_1(x)
        for m in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            bd = m(bd)
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b7, bd, bp], 1)


class InceptionD(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, kernel_size=3, stride=2)

    def forward(self, x):
        b3 = self.branch3x3_2(self.branch3x3_1(x))
        b7 = self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(self.branch7x7x3_1(x))))
        return torch.cat([b3, b7, F.max_pool2d(x, 3, stride=2)], 1)


class FIDInceptionE(nn.Module):
    def __init__(self, cin, max_pool):
        super().__init__()
        self.max_pool = max_pool
        self.branch1x1 = BasicConv2d(cin, 320, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(cin, 384, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(cin, 448, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x):
        b1 = self.branch1x1(x)
        t = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(t), self.branch3x3_2b(t)], 1)
        u = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(u), self.branch3x3dbl_3b(u)], 1)
        if self.max_pool:  # FIDInceptionE_2
            p = F.max_pool2d(x, 3, stride=1, padding=1)
        else:  # FIDInceptionE_1
            p = F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
        return torch.cat([b1, b3, bd, self.branch_pool(p)], 1)


class FIDInception(nn.Module):
    def __init__(self):
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, kernel_size=3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, kernel_size=1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, kernel_size=3)
        self.Mixed_5b = FIDInceptionA(192, 32)
        self.Mixed_5c = FIDInceptionA(256, 64)
        self.Mixed_5d = FIDInceptionA(288, 64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = FIDInceptionC(768, 128)
        self.Mixed_6c = FIDInceptionC(768, 160)
        self.Mixed_6d = FIDInceptionC(768, 160)
        self.Mixed_6e = FIDInceptionC(768, 192)
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = FIDInceptionE(1280, max_pool=False)
        self.Mixed_7c = FIDInceptionE(2048, max_pool=True)
        self.fc = nn.Linear(2048, 1008)

    def pool3(self, x):
        """x: [b, 3, h, w] in [0, 1] → pool3 [b, 2048], as pytorch_fid.inception.InceptionV3 (resize, 2x − 1)."""
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, 3, stride=2)
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, 3, stride=2)
        for name in ("Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e",
                     "Mixed_7a", "Mixed_7b", "Mixed_7c"):
            x = getattr(self, name)(x)
        return F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)


def selftest(out_dir, input_npy, output_npy):
    torch.manual_seed(0)
    model = FIDInception().eval()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.normal_(0, (2.0 / fan_in) ** 0.5)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 2.0)
        model.fc.weight.normal_(0, 2048 ** -0.5)
        model.fc.bias.normal_(0, 0.1)
    convert(model.state_dict(), out_dir)
    x = torch.from_numpy(np.load(input_npy).astype(np.float32)).permute(0, 3, 1, 2)
    with torch.no_grad():
        feats = model.double().pool3(x.double())
        logits = feats @ model.fc.weight.T
    np.save(output_npy, np.concatenate([feats.numpy(), logits.numpy()], axis=1))
    print(f"wrote {output_npy}: pool3 {tuple(feats.shape)} + logits {tuple(logits.shape)}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--selftest":
        selftest(*sys.argv[2:5])
    elif len(sys.argv) == 3:
        convert(torch.load(sys.argv[1], map_location="cpu"), sys.argv[2])
    else:
        raise SystemExit(__doc__)
