"""Trains yield-predictor from the tables that `npm run models:train` exported and writes model.onnx.

Per order snapshot: a small MLP over the shared yield features that predicts the order's final
first-pass yield and the 5 % and 95 % quantiles (pinball loss; the quantiles are built around the
median so they never cross). The `calibration` table (later production, same lines) then widens
the interval by cross-conformalized quantile regression (Romano et al., 2019) over all earlier
production so it covers 90 %. The
prediction is structured: boards already through test count as they are, the network predicts only
the rate of the boards still to come and how uncertain it is.
Standardisation, widening and clipping to [0, 1] are part of the graph; the final model is fitted on
the train and calibration tables together.

Run with Debian's Python: /usr/bin/python3 models/yield-predictor/train.py --data DIR --out FILE
"""
import argparse
import json
import math
import os

import numpy as np
import torch
from torch import nn

LOW, HIGH = 0.05, 0.95


def load(data_dir, split, width):
    x = np.fromfile(os.path.join(data_dir, f'{split}.features.f32'), dtype='<f4').reshape(-1, width)
    y = np.fromfile(os.path.join(data_dir, f'{split}.labels.f32'), dtype='<f4')
    return torch.from_numpy(x), torch.from_numpy(y)


class YieldModel(nn.Module):
    """Final yield = the boards known so far plus a predicted rate for the rest.

    With f boards finished out of N planned, the median is (f * observed + (N - f) * r) / N, where
    r is the MLP's first-pass rate for the boards still to come; the interval's half-widths are the
    MLP's spreads times the unfinished share, so the interval narrows as the order finishes.
    """

    def __init__(self, mean, std, hidden, columns):
        super().__init__()
        self.register_buffer('mean', mean)
        self.register_buffer('scale', 1.0 / std)
        self.finished, self.planned, self.observed = columns
        self.body = (
            nn.Linear(mean.shape[0], 3) if hidden == 0
            else nn.Sequential(nn.Linear(mean.shape[0], hidden), nn.ReLU(), nn.Linear(hidden, 3))
        )
        self.register_buffer('widen', torch.ones(1))

    def parts(self, x):
        out = self.body((x - self.mean) * self.scale)
        known = torch.clamp(x[:, self.finished:self.finished + 1] / torch.clamp(x[:, self.planned:self.planned + 1], min=1.0), 0.0, 1.0)
        rest = torch.clamp(1.0 - known, min=0.02)
        rate = torch.sigmoid(out[:, 0:1] + 3.0)
        median = known * x[:, self.observed:self.observed + 1] + (1.0 - known) * rate
        down = nn.functional.softplus(out[:, 1:2] - 2.0) * rest
        up = nn.functional.softplus(out[:, 2:3] - 2.0) * rest
        return median, down, up

    def quantiles(self, x):
        median, down, up = self.parts(x)
        return median, median - down, median + up

    def forward(self, x):
        median, down, up = self.parts(x)
        clip = lambda t: torch.clamp(t, 0.0, 1.0)
        return clip(median), clip(median - self.widen * down), clip(median + self.widen * up)


def pinball(pred, y, q):
    diff = y - pred
    return torch.maximum(q * diff, (q - 1) * diff).mean()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--data', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--epochs', type=int, default=400)
    parser.add_argument('--hidden', type=int, default=8, help='0: a linear model (chosen by out-of-fold MAE: 8)')
    parser.add_argument('--weight-decay', type=float, default=0.3)
    parser.add_argument('--folds', type=int, default=5)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    with open(os.path.join(args.data, 'meta.json')) as f:
        meta = json.load(f)
    width = len(meta['featureNames'])
    x, y = load(args.data, 'train', width)
    xc, yc = load(args.data, 'calibration', width)
    print(f'train snapshots {len(y)}, calibration snapshots {len(yc)}')

    names = meta['featureNames']
    columns = (names.index('finished_boards'), names.index('planned_quantity'), names.index('observed_first_pass_yield'))
    snapshots = len(meta['checkpoints'])
    x_all = torch.cat([x, xc])
    y_all = torch.cat([y, yc])

    def fit(fx, fy, label):
        torch.manual_seed(args.seed)
        model = YieldModel(fx.mean(0), fx.std(0).clamp_min(1e-3), args.hidden, columns)
        optimiser = torch.optim.AdamW(model.body.parameters(), lr=3e-3, weight_decay=args.weight_decay)
        generator = torch.Generator().manual_seed(args.seed)
        target = fy[:, None]
        for _ in range(args.epochs):
            order = torch.randperm(len(fy), generator=generator)
            for start in range(0, len(fy), 128):
                idx = order[start:start + 128]
                median, lower, upper = model.quantiles(fx[idx])
                t = target[idx]
                loss = pinball(median, t, 0.5) + pinball(lower, t, LOW) + pinball(upper, t, HIGH)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        with torch.no_grad():
            m, _, _ = model.quantiles(fx)
        print(f'{label}: {len(fy)} snapshots, in-sample MAE {(m[:, 0] - fy).abs().mean().item():.4f}')
        return model

    def scores_of(model, sx, sy):
        # How far outside the unscaled interval each truth lies, in units of its half-width.
        with torch.no_grad():
            median, down, up = model.parts(sx)
            return torch.maximum((median[:, 0] - sy) / down[:, 0], (sy - median[:, 0]) / up[:, 0]).numpy()

    # Cross-conformal calibration over all earlier production: K contiguous blocks of whole orders
    # (in time order); each block is scored by a model fitted without it. The calibration window
    # alone is too calm a stretch to size the interval for what comes after it.
    orders = len(y_all) // snapshots
    blocks = np.array_split(np.arange(orders), args.folds)
    scores = []
    errors = []
    for k, block in enumerate(blocks):
        held = torch.zeros(len(y_all), dtype=torch.bool)
        for o in block:
            held[o * snapshots:(o + 1) * snapshots] = True
        fold = fit(x_all[~held], y_all[~held], f'fold {k + 1}/{args.folds}')
        scores.append(scores_of(fold, x_all[held], y_all[held]))
        with torch.no_grad():
            errors.append((fold.quantiles(x_all[held])[0][:, 0] - y_all[held]).abs().numpy())
    scores = np.concatenate(scores)
    print(f'out-of-fold MAE over earlier production {np.concatenate(errors).mean():.4f} (what model selection may look at)')

    model = fit(x_all, y_all, 'final model')
    n = len(scores)
    alpha = LOW + (1 - HIGH)
    rank = min(n, math.ceil((n + 1) * (1 - alpha)))
    widen = float(np.sort(scores)[rank - 1])
    model.widen.fill_(widen)
    print(f'conformal scale of the interval {widen:.4f} from {n} out-of-fold snapshots')

    model.eval()
    torch.onnx.export(
        model, torch.zeros(2, width), args.out,
        input_names=['features'], output_names=['yield', 'lower', 'upper'],
        dynamic_axes={'features': {0: 'orders'}, 'yield': {0: 'orders'}, 'lower': {0: 'orders'}, 'upper': {0: 'orders'}},
        opset_version=17,
    )
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
