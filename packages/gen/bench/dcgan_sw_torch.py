"""DCGAN-28 generator (widths 128, 64; batch norm) + SW_2 with L = 1000 projections, one Adam step
per iteration, batch 64, torch CPU with 2 threads: prints the median ms/step (same setup as
table2.ts)."""
import sys
import time

import torch
from torch import nn

torch.set_num_threads(2)
torch.manual_seed(0)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 10


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(100, 7 * 7 * 128)
        self.bn0 = nn.BatchNorm2d(128)
        self.up1 = nn.ConvTranspose2d(128, 64, 4, 2, 1)
        self.bn1 = nn.BatchNorm2d(64)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = self.fc(z).view(-1, 128, 7, 7)
        h = torch.relu(self.bn0(h))
        h = torch.relu(self.bn1(self.up1(h)))
        return torch.tanh(self.up2(h))


def sw2(x, y, L):
    theta = torch.randn(x.shape[1], L)
    theta = theta / theta.norm(dim=0, keepdim=True)
    px = torch.sort(x @ theta, dim=0)[0]
    py = torch.sort(y @ theta, dim=0)[0]
    return ((px - py) ** 2).mean().sqrt()


g = G()
opt = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
real = torch.rand(64, 784) * 2 - 1


def step():
    z = torch.randn(64, 100)
    loss = sw2(g(z).view(64, 784), real, 1000)
    opt.zero_grad()
    loss.backward()
    opt.step()


for _ in range(2):
    step()
times = []
for _ in range(steps):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(times[len(times) // 2])
