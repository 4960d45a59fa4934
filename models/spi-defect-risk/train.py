"""Trains spi-defect-risk from the tables that `npm run models:train` exported and writes model.onnx.

Per pad: an MLP over the shared SPI features with four outputs (none, bridging, insufficient
solder, open). Standardisation is part of the graph, so the ONNX model takes raw features.
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
    """Standardise, MLP, temperature and prior shift, softmax."""

    def __init__(self, mean, std, hidden):
        super().__init__()
        self.register_buffer('mean', mean)
        self.register_buffer('scale', 1.0 / std)
        width = mean.shape[0]
        self.body = nn.Sequential(
            nn.Linear(width, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, 4),
        )
        self.register_buffer('temperature', torch.ones(1))
        self.register_buffer('class_bias', torch.zeros(4))

    def logits(self, x):
        return self.body((x - self.mean) * self.scale) / self.temperature + self.class_bias

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=1)


def weighted_nll(logits, y, w):
    return (nn.functional.cross_entropy(logits, y, reduction='none') * w).sum() / w.sum()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--data', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--epochs', type=int, default=12)
    parser.add_argument('--hidden', type=int, default=48)
    parser.add_argument('--positive-boost', type=float, default=20.0,
                        help='extra weight of defect pads while fitting; the calibration step removes its bias')
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
    model = PadRiskModel(mean, std, args.hidden)

    fit_weight = torch.where(y > 0, w * args.positive_boost, w)
    optimiser = torch.optim.AdamW(model.body.parameters(), lr=2e-3, weight_decay=1e-4)
    generator = torch.Generator().manual_seed(args.seed)
    batch = 2048
    steps_per_epoch = (len(y) + batch - 1) // batch
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=args.epochs * steps_per_epoch)
    for epoch in range(args.epochs):
        order = torch.randperm(len(y), generator=generator)
        model.train()
        running = 0.0
        for start in range(0, len(y), batch):
            idx = order[start:start + batch]
            loss = weighted_nll(model.logits(x[idx]), y[idx], fit_weight[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
            running += loss.item()
        print(f'epoch {epoch + 1}/{args.epochs} loss {running / steps_per_epoch:.5f}')

    # Calibration on later production: a temperature and a prior shift of the defect-free class,
    # fitted by the weighted likelihood of the true (un-thinned) distribution.
    model.eval()
    for p in model.body.parameters():
        p.requires_grad_(False)
    log_t = torch.zeros(1, requires_grad=True)
    shift = torch.zeros(1, requires_grad=True)
    with torch.no_grad():
        raw = model.body((xc - model.mean) * model.scale)
    lbfgs = torch.optim.LBFGS([log_t, shift], lr=0.5, max_iter=200, line_search_fn='strong_wolfe')

    def closure():
        lbfgs.zero_grad()
        bias = torch.cat([shift, torch.zeros(3)])
        loss = weighted_nll(raw / torch.exp(log_t) + bias, yc, wc)
        loss.backward()
        return loss

    lbfgs.step(closure)
    with torch.no_grad():
        model.temperature.copy_(torch.exp(log_t))
        model.class_bias.copy_(torch.cat([shift, torch.zeros(3)]))
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
