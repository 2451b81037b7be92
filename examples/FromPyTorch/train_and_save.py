"""Trains a small PyTorch model and saves what the C# side checks itself against.

Writes into the folder given as the first argument:
  model.pt            the trained state_dict (torch.save)
  model.safetensors   the same tensors in the safetensors format (written here: the format is a length, a JSON
                      header and the raw bytes, so no extra package is needed)
  direction.pt        one random direction with the state_dict's names and shapes
  inputs.npy, targets.npy  the data the loss is measured on
  reference.json      PyTorch's own loss at theta and at theta + alpha * direction for each alpha

Everything is float64, so the two implementations can agree to ~1e-15; the C# side asks for 1e-10.
Run: python3 train_and_save.py OUT_DIR   (Debian: apt-get install python3-torch python3-numpy)
"""
import json
import struct
import sys

import numpy as np
import torch

out = sys.argv[1]
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

# y = sin(2 x0) cos(x1) on 128 points of [-1, 1]^2.
x = torch.rand(128, 2) * 2 - 1
y = (torch.sin(2 * x[:, 0]) * torch.cos(x[:, 1])).unsqueeze(1)
model = torch.nn.Sequential(
    torch.nn.Linear(2, 16), torch.nn.Tanh(),
    torch.nn.Linear(16, 16), torch.nn.Tanh(),
    torch.nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(300):
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()

with torch.no_grad():
    loss_at_theta = torch.nn.functional.mse_loss(model(x), y).item()
state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
torch.save(state, f"{out}/model.pt")

header, blobs, offset = {}, [], 0
for name, tensor in state.items():
    data = tensor.numpy().astype("<f8").tobytes()
    header[name] = {"dtype": "F64", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
text = json.dumps(header).encode()
text += b" " * (-len(text) % 8)
with open(f"{out}/model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

generator = torch.Generator().manual_seed(1)
direction = {k: torch.randn(v.shape, generator=generator) * 0.5 for k, v in state.items()}
torch.save(direction, f"{out}/direction.pt")
np.save(f"{out}/inputs.npy", x.numpy())
np.save(f"{out}/targets.npy", y.numpy())

alphas = np.linspace(-1, 1, 11).tolist()
losses = []
with torch.no_grad():
    for a in alphas:
        for name, p in model.named_parameters():
            p.copy_(state[name] + a * direction[name])
        losses.append(torch.nn.functional.mse_loss(model(x), y).item())
with open(f"{out}/reference.json", "w") as f:
    json.dump({"torch": torch.__version__, "loss_at_theta": loss_at_theta, "alphas": alphas, "losses": losses}, f, indent=1)
print(f"PyTorch {torch.__version__}: trained, loss at theta {loss_at_theta:.6g}; files in {out}")
