"""PyTorch's side of the generic-path benchmark: the in-place loop over a 21 x 21 grid and one Hessian-vector product
with the gradient graph reused, for the 337-parameter MLP (float64, 256 points) and the convection PINN
(2-50-50-50-50-1 tanh, float32, 1000 collocation points, residual by autograd). Prints one line per number, in
microseconds, in the format the C# side prints, so the script can set them side by side."""
import math
import sys
import time

import torch


def mlp():
    torch.manual_seed(1234)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                                torch.nn.Linear(16, 1)).double()
    g = torch.linspace(-1, 1, 16, dtype=torch.float64)
    a, b = torch.meshgrid(g, g, indexing="ij")
    x = torch.stack([a.flatten(), b.flatten()], 1)
    y = (torch.sin(3 * x[:, 0]) * torch.cos(2 * x[:, 1])).unsqueeze(1)
    return model, (lambda: (model(x) - y).square().mean()), False


def pinn(beta=5.0):
    torch.manual_seed(0)
    layers, inputs = [], 2
    for _ in range(4):
        layers += [torch.nn.Linear(inputs, 50), torch.nn.Tanh()]
        inputs = 50
    model = torch.nn.Sequential(*layers, torch.nn.Linear(50, 1))
    collocation = torch.rand(1000, 2) * torch.tensor([2 * math.pi, 1.0])
    initial = torch.stack([torch.linspace(0, 2 * math.pi, 256), torch.zeros(256)], 1)
    initial_values = torch.sin(initial[:, 0]).reshape(256, 1)
    times = torch.linspace(0, 1, 100)
    left = torch.stack([torch.zeros(100), times], 1)
    right = torch.stack([torch.full((100,), 2 * math.pi), times], 1)

    def loss():
        xt = collocation.detach().clone().requires_grad_()
        u = model(xt)
        du = torch.autograd.grad(u.sum(), xt, create_graph=True)[0]
        residual = du[:, 1] + beta * du[:, 0]
        return ((model(initial) - initial_values).square().mean() + residual.square().mean()
                + (model(left) - model(right)).square().mean())

    return model, loss, True


def sample(model, loss, needs_grad, points=21):
    params = list(model.parameters())
    origin = [p.detach().clone() for p in params]
    d1 = [torch.randn_like(p) for p in params]
    d2 = [torch.randn_like(p) for p in params]
    alphas = torch.linspace(-1, 1, points).tolist()
    values = []
    for a in alphas:
        for b in alphas:
            with torch.no_grad():
                for p, p0, u, v in zip(params, origin, d1, d2):
                    p.copy_(p0 + a * u + b * v)
            if needs_grad:
                values.append(loss().item())
            else:
                with torch.no_grad():
                    values.append(loss().item())
    with torch.no_grad():
        for p, p0 in zip(params, origin):
            p.copy_(p0)
    return values


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    for name, make in (("mlp-337", mlp), ("pinn-7851", pinn)):
        model, loss, needs_grad = make()
        sample(model, loss, needs_grad, points=5)  # warm-up
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            sample(model, loss, needs_grad)
            best = min(best, (time.perf_counter() - start) / 441)
        print(f"pytorch {name} in-place loop per point: {best * 1e6:.1f} us")

        params = list(model.parameters())
        grads = torch.autograd.grad(loss(), params, create_graph=True)
        v = [torch.randn_like(p) for p in params]
        for _ in range(5):
            torch.autograd.grad(grads, params, v, retain_graph=True)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(50):
                torch.autograd.grad(grads, params, v, retain_graph=True)
            best = min(best, (time.perf_counter() - start) / 50)
        print(f"pytorch {name} Hessian-vector product: {best * 1e6:.1f} us")


if __name__ == "__main__":
    main()
