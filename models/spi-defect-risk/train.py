"""Trains spi-defect-risk from the tables that `npm run models:train` exported and writes model.onnx.

Per pad: the mean logits of a few MLPs over the shared SPI features, with four outputs (none,
bridging, insufficient solder, open). Standardisation is part of the graph, so the ONNX model
takes raw features. Each MLP is fitted alone from its own seed: with a few hundred defect pads one
network's ranking depends on its seed (per-pad PR-AUC on the calibration window 0.087 with seed 7,
0.033 with seed 8), and averaging steadies it. Bridged pads, the rarest class (92 in the fitting
table against 159 insufficient and 66 open), weigh ten times more than the other defect pads
while fitting; the known log-weight offset is taken off the bridging logit afterwards.
Fitting uses the `train` table; the `calibration` table (later production, same lines) only sets
the temperature and the defect-free prior. Deterministic: one thread, seeded generators.

Run with Debian's Python: /usr/bin/python3 models/spi-defect-risk/train.py --data DIR --out FILE
"""
import argparse
import json
import os

import numpy as np
import torch
from torch import nn


def load(data_dir, split, width):
    x = np.fromfile(os.path.join(data_dir, f'{split}.features.f32'), dtype='<f4').reshape(-1, width)
    y = np.fromfile(os.path.join(data_dir, f'{split}.labels.u8'), dtype=np.uint8).astype(np.int64)
    w = np.fromfile(os.path.join(data_dir, f'{split}.weights.f32'), dtype='<f4')
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(w)


class PadRiskModel(nn.Module):
    """Standardise, mean logits of the member MLPs, temperature and prior shift, softmax."""

    def __init__(self, mean, std, hidden, members):
        super().__init__()
        self.register_buffer('mean', mean)
        self.register_buffer('scale', 1.0 / std)
        width = mean.shape[0]
        self.members = nn.ModuleList(
            nn.Sequential(
                nn.Linear(width, hidden), nn.ReLU(),
                nn.Linear(hidden, hidden), nn.ReLU(),
                nn.Linear(hidden, 4),
            )
            for _ in range(members)
        )
        self.register_buffer('temperature', torch.ones(1))
        self.register_buffer('class_bias', torch.zeros(4))

    def standardise(self, x):
        return (x - self.mean) * self.scale

    def raw(self, x):
        z = self.standardise(x)
        return torch.stack([member(z) for member in self.members]).mean(0)

    def logits(self, x):
        return self.raw(x) / self.temperature + self.class_bias

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=1)


def weighted_nll(logits, y, w):
    return (nn.functional.cross_entropy(logits, y, reduction='none') * w).sum() / w.sum()


def fit_member(member, x, y, fit_weight, standardise, seed, epochs, label):
    """Fits one MLP from its own seed (initialisation and batch order)."""
    torch.manual_seed(seed)
    for layer in member:
        if isinstance(layer, nn.Linear):
            layer.reset_parameters()
    optimiser = torch.optim.AdamW(member.parameters(), lr=2e-3, weight_decay=1e-4)
    generator = torch.Generator().manual_seed(seed)
    batch = 2048
    steps_per_epoch = (len(y) + batch - 1) // batch
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=epochs * steps_per_epoch)
    for epoch in range(epochs):
        order = torch.randperm(len(y), generator=generator)
        member.train()
        running = 0.0
        for start in range(0, len(y), batch):
            idx = order[start:start + batch]
            loss = weighted_nll(member(standardise(x[idx])), y[idx], fit_weight[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
            running += loss.item()
        print(f'{label} epoch {epoch + 1}/{epochs} loss {running / steps_per_epoch:.5f}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--data', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--epochs', type=int, default=12)
    parser.add_argument('--hidden', type=int, default=48)
    parser.add_argument('--members', type=int, default=4, help='MLPs averaged; member m is seeded with seed + m')
    parser.add_argument('--positive-boost', type=float, default=20.0,
                        help='extra weight of defect pads while fitting; the calibration step removes its bias')
    parser.add_argument('--bridging-boost', type=float, default=200.0,
                        help='extra weight of bridged pads while fitting (the rarest class); its bias is removed exactly')
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    with open(os.path.join(args.data, 'meta.json')) as f:
        meta = json.load(f)
    width = len(meta['featureNames'])
    x, y, w = load(args.data, 'train', width)
    xc, yc, wc = load(args.data, 'calibration', width)
    print(f'train rows {len(y)} (defect pads {(y > 0).sum().item()}), calibration rows {len(yc)} (defect pads {(yc > 0).sum().item()})')

    total = w.sum()
    mean = (x * w[:, None]).sum(0) / total
    std = torch.sqrt(((x - mean) ** 2 * w[:, None]).sum(0) / total).clamp_min(1e-3)
    model = PadRiskModel(mean, std, args.hidden, args.members)

    boost = torch.tensor([1.0, args.bridging_boost, args.positive_boost, args.positive_boost])
    fit_weight = w * boost[y]
    # Weighting a class by b adds log b to its fitted logit: the prior shift absorbs the common
    # boost, and the bridging class's extra boost is taken off its logit.
    bridging_offset = float(np.log(args.bridging_boost / args.positive_boost))
    for m, member in enumerate(model.members):
        fit_member(member, x, y, fit_weight, model.standardise, args.seed + m, args.epochs, f'member {m + 1}/{args.members}')

    # Calibration on later production: a temperature and a prior shift of the defect-free class,
    # fitted by the weighted likelihood of the true (un-thinned) distribution.
    model.eval()
    for p in model.members.parameters():
        p.requires_grad_(False)
    log_t = torch.zeros(1, requires_grad=True)
    shift = torch.zeros(1, requires_grad=True)
    with torch.no_grad():
        raw = model.raw(xc)
    lbfgs = torch.optim.LBFGS([log_t, shift], lr=0.5, max_iter=200, line_search_fn='strong_wolfe')

    def closure():
        lbfgs.zero_grad()
        bias = torch.cat([shift, -bridging_offset / torch.exp(log_t), torch.zeros(2)])
        loss = weighted_nll(raw / torch.exp(log_t) + bias, yc, wc)
        loss.backward()
        return loss

    lbfgs.step(closure)
    with torch.no_grad():
        model.temperature.copy_(torch.exp(log_t))
        model.class_bias.copy_(torch.cat([shift, -bridging_offset / torch.exp(log_t), torch.zeros(2)]))
    print(f'temperature {model.temperature.item():.4f}, defect-free prior shift {shift.item():.4f}')

    torch.onnx.export(
        model, torch.zeros(2, width), args.out,
        input_names=['features'], output_names=['probabilities'],
        dynamic_axes={'features': {0: 'pads'}, 'probabilities': {0: 'pads'}},
        opset_version=17,
    )
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
