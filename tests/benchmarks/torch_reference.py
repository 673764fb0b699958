#!/usr/bin/python3
"""PyTorch reference for the Sobolev Workbench benchmark.

Runs the same experiment as the Eigen trainer (Runge target, value + derivative
loss, Adam, tanh MLP) and prints one JSON line so speed and accuracy can be
compared directly.  Uses Debian's python3 because that is where torch lives.

With --problem DIR (written by sobolev-torch-tta --dump DIR) it trains on the workbench's
own training and validation points from its initial weights; with --history FILE it writes
per history row (Adam epoch, L-BFGS iteration) the training seconds so far, the validation
outside the clock, and the validation MSE f' (tests/benchmarks/compare_torch.sh tta).
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
except ImportError:
    print("torch_reference.py: PyTorch is not installed for this interpreter "
          f"({sys.executable}); skipping.", file=sys.stderr)
    print(json.dumps({"skipped": "torch not installed"}))
    sys.exit(0)

import numpy as np  # after the torch check: the torch-less python may lack numpy too

N_TRAIN, N_VAL, BATCH = 2048, 512, 64
ALPHA, BETA = 1.0, 1.0


def runge(x):
    return 1.0 / (1.0 + 25.0 * x * x)


def runge_prime(x):
    return -50.0 * x / (1.0 + 25.0 * x * x) ** 2


def make_model(width, depth):
    layers, fan_in = [], 1
    for _ in range(depth):
        layers += [torch.nn.Linear(fan_in, width), torch.nn.Tanh()]
        fan_in = width
    layers.append(torch.nn.Linear(fan_in, 1))
    model = torch.nn.Sequential(*layers)
    # Match the Eigen trainer's Glorot-uniform / zero-bias initialisation.
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return model


def forward_with_grad(model, x, create_graph):
    x = x.detach().requires_grad_(True)
    y = model(x)
    # Each output depends only on its own input row, so grad of the sum is
    # the per-sample derivative.
    (dy,) = torch.autograd.grad(y.sum(), x, create_graph=create_graph)
    return y, dy


def load_problem(directory, model, dtype):
    """The workbench's points (float32, as it holds them) and initial parameters: per layer
    W (out x in) column-major, then b."""
    def points(name):
        t = np.loadtxt(f"{directory}/{name}.csv", delimiter=",", skiprows=1, dtype=np.float32)
        return tuple(torch.from_numpy(np.ascontiguousarray(t[:, k:k + 1])).to(dtype)
                     for k in range(3))
    params = np.loadtxt(f"{directory}/parameters.txt", dtype=np.float64)
    offset = 0
    with torch.no_grad():
        for m in model:
            if isinstance(m, torch.nn.Linear):
                out, inp = m.weight.shape
                w = params[offset:offset + out * inp].reshape(inp, out).T
                m.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)))
                offset += out * inp
                m.bias.copy_(torch.from_numpy(params[offset:offset + out]))
                offset += out
    if offset != params.size:
        sys.exit(f"torch_reference.py: {directory}/parameters.txt holds {params.size} "
                 f"parameters, the network {offset}")
    return points("train"), points("validation")


def val_mse_fprime(model, val):
    x, _, fp = val
    _, dy = forward_with_grad(model, x, create_graph=False)
    return float(((dy - fp) ** 2).mean())


class History:
    """history.csv's view of a run: row, phase, training seconds so far, validation MSE f'."""

    def __init__(self, path, val):
        self.file = open(path, "w", encoding="utf-8")
        self.file.write("row,phase,seconds,val_mse_fprime\n")
        self.val, self.rows, self.seconds = val, 0, 0.0

    def add(self, model, phase, seconds):
        self.rows += 1
        self.seconds += seconds
        self.file.write(f"{self.rows},{phase},{self.seconds:.9g},"
                        f"{val_mse_fprime(model, self.val):.9g}\n")


def train_epoch(model, opt, x, f, fp):
    perm = torch.randperm(x.shape[0])
    for i in range(0, x.shape[0], BATCH):
        idx = perm[i:i + BATCH]
        y, dy = forward_with_grad(model, x[idx], create_graph=True)
        loss = (ALPHA * torch.mean((y - f[idx]) ** 2)
                + BETA * torch.mean((dy - fp[idx]) ** 2))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def lbfgs_phase(model, data, iterations, history):
    """Full-batch L-BFGS with a strong-Wolfe line search, as the workbench's L-BFGS phase
    (tolerances off, so it runs every iteration unless the line search stalls)."""
    x, f, fp = data
    opt = torch.optim.LBFGS(model.parameters(), lr=1, max_iter=iterations,
                            max_eval=iterations * 5, history_size=history,
                            tolerance_grad=0.0, tolerance_change=0.0,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad(set_to_none=True)
        y, dy = forward_with_grad(model, x, create_graph=True)
        loss = ALPHA * torch.mean((y - f) ** 2) + BETA * torch.mean((dy - fp) ** 2)
        loss.backward()
        return loss

    opt.step(closure)
    return opt.state[opt._params[0]]["n_iter"]


def logged_lbfgs_phase(model, data, iterations, history_size, history):
    """lbfgs_phase() one iteration per step() so that each can be logged. step() starts by
    evaluating the loss where the last line search ended, which one step() of all iterations
    would not redo: that evaluation is kept off the clock. An iteration that leaves the
    weights unchanged ends the phase, where one long step() would have returned."""
    x, f, fp = data
    opt = torch.optim.LBFGS(model.parameters(), lr=1, max_iter=1,
                            history_size=history_size, tolerance_grad=0.0,
                            tolerance_change=0.0, line_search_fn="strong_wolfe")
    calls, redundant = [0], [0.0]

    def closure():
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        y, dy = forward_with_grad(model, x, create_graph=True)
        loss = ALPHA * torch.mean((y - f) ** 2) + BETA * torch.mean((dy - fp) ** 2)
        loss.backward()
        if calls[0] == 0:
            redundant[0] = time.perf_counter() - t0
        calls[0] += 1
        return loss

    for i in range(iterations):
        before = torch.nn.utils.parameters_to_vector(model.parameters()).detach().clone()
        calls[0] = 0
        t0 = time.perf_counter()
        opt.step(closure)
        seconds = time.perf_counter() - t0 - (redundant[0] if i > 0 else 0.0)
        if torch.equal(before, torch.nn.utils.parameters_to_vector(model.parameters())):
            return i
        history.add(model, "lbfgs", seconds)
    return iterations


def timed_epoch(model, opt, data):
    t0 = time.perf_counter()
    train_epoch(model, opt, *data)
    return (time.perf_counter() - t0) * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--timing-epochs", type=int, default=0,
                    help="if >0, only time N epochs (after 2 warm-up epochs)")
    ap.add_argument("--schedule", choices=["constant", "cosine"], default="constant",
                    help="cosine: decay to lr/100 over the epochs, stepped once an epoch")
    ap.add_argument("--lbfgs-iterations", type=int, default=0,
                    help="full-batch L-BFGS (strong Wolfe) iterations after the Adam epochs")
    ap.add_argument("--lbfgs-history", type=int, default=10)
    ap.add_argument("--float64", action="store_true", help="the whole run in double")
    ap.add_argument("--lbfgs-threads", type=int, default=None,
                    help="threads of the L-BFGS phase (default: --threads)")
    ap.add_argument("--problem", metavar="DIR",
                    help="train on the workbench's points and initial weights, as written by "
                         "sobolev-torch-tta --dump DIR")
    ap.add_argument("--history", metavar="FILE",
                    help="write per row the training seconds so far and the validation MSE f'")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    # Draw train then val from one generator so the train set matches the
    # Eigen side's split; val is drawn but unused here.
    rng = np.random.default_rng(args.seed)
    x_np = rng.uniform(-1.0, 1.0, size=(N_TRAIN + N_VAL, 1)).astype(np.float32)
    dtype = torch.float64 if args.float64 else torch.float32
    x = torch.from_numpy(x_np[:N_TRAIN]).to(dtype)
    data = (x, runge(x), runge_prime(x))
    x_val = torch.from_numpy(x_np[N_TRAIN:]).to(dtype)
    val = (x_val, runge(x_val), runge_prime(x_val))

    model = make_model(args.width, args.depth).to(dtype)
    if args.problem:
        data, val = load_problem(args.problem, model, dtype)
    history = History(args.history, val) if args.history else None
    opt = torch.optim.Adam(model.parameters(), lr=1e-3,
                           betas=(0.9, 0.999), eps=1e-7)
    scheduler = (torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs,
                                                            eta_min=1e-5)
                 if args.schedule == "cosine" else None)

    out = {"framework": "pytorch", "torch_version": torch.__version__,
           "threads": args.threads, "seed": args.seed,
           "width": args.width, "depth": args.depth, "schedule": args.schedule,
           "lbfgs_iterations": args.lbfgs_iterations,
           "precision": "float64" if args.float64 else "float32"}

    if args.timing_epochs > 0:
        # Warm-up excludes allocator / first-call overheads from the median.
        for _ in range(2):
            train_epoch(model, opt, *data)
        times = [timed_epoch(model, opt, data) for _ in range(args.timing_epochs)]
        out.update(epochs=args.timing_epochs,
                   ms_per_epoch=statistics.median(times))
        print(json.dumps(out))
        return

    t_start = time.perf_counter()
    times = []
    for _ in range(args.epochs):
        times.append(timed_epoch(model, opt, data))
        if history:
            history.add(model, "adam", times[-1] / 1e3)
        if scheduler:
            scheduler.step()
    lbfgs_done = 0
    if args.lbfgs_iterations > 0:
        torch.set_num_threads(args.lbfgs_threads or args.threads)
        if history:
            lbfgs_done = logged_lbfgs_phase(model, data, args.lbfgs_iterations,
                                            args.lbfgs_history, history)
        else:
            lbfgs_done = lbfgs_phase(model, data, args.lbfgs_iterations, args.lbfgs_history)
    train_seconds = history.seconds if history else time.perf_counter() - t_start
    if history:
        history.file.close()

    grid = torch.linspace(-1.0, 1.0, 1001, dtype=dtype).unsqueeze(1)
    y, dy = forward_with_grad(model, grid, create_graph=False)
    err_f = (y.detach() - runge(grid)).abs()
    err_fp = (dy - runge_prime(grid)).abs()

    out.update(epochs=args.epochs,
               ms_per_epoch=statistics.median(times) if times else 0.0,
               mse_f=float((err_f ** 2).mean()),
               mse_fprime=float((err_fp ** 2).mean()),
               max_err_f=float(err_f.max()),
               max_err_fprime=float(err_fp.max()),
               lbfgs_iterations_done=lbfgs_done,
               train_seconds=train_seconds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
