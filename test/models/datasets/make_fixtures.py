"""Writes the NumPy and image data-set fixtures, and the expected inputs
computed independently with PIL and PyTorch, into the directory argv[1]."""
import os, sys
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
p = lambda *a: os.path.join(out, *a)
rng = np.random.default_rng(5)

# NumPy arrays: values the test recomputes from the same formulas.
x = (np.arange(5 * 1 * 4 * 4) / 7).astype(np.float32).reshape(5, 1, 4, 4)
y = np.array([0, 2, 1, 2, 0], dtype=np.int64)
np.save(p('x.npy'), x)
np.save(p('y.npy'), y)
np.save(p('y_col.npy'), y.reshape(5, 1).astype(np.uint8))
np.save(p('x_u8.npy'), (np.arange(5 * 6) % 256).astype(np.uint8).reshape(5, 6))
np.save(p('x_f2.npy'), (np.arange(5 * 3) / 4).astype(np.float16).reshape(5, 3))
np.save(p('x_bool.npy'), (np.arange(5 * 2) % 3 == 0).reshape(5, 2))
np.save(p('x_be.npy'), x.astype('>f4'))
np.save(p('x_fortran.npy'), np.asfortranarray(x.reshape(5, 16)))
np.save(p('y_short.npy'), y[:4])
np.save(p('y_bad.npy'), np.array([0, 1, -1, 2, 0]))
np.save(p('y_frac.npy'), np.array([0, 1, 0.5, 2, 0]))
np.save(p('strings.npy'), np.array(['a', 'b']))
np.savez(p('keras.npz'), x_train=x[:3], y_train=y[:3], x_test=x[3:], y_test=y[3:])
np.savez(p('single.npz'), x=x, y=y)
np.savez(p('other.npz'), a=x)

# An ImageFolder: PNGs of several kinds (RGB, RGBA, grey, palette, 16-bit grey) and sizes.
imgs = {
    'ant/a.png': Image.fromarray(rng.integers(0, 256, (9, 12, 3), dtype=np.uint8), 'RGB'),
    'ant/b.png': Image.fromarray(rng.integers(0, 256, (12, 9, 4), dtype=np.uint8), 'RGBA'),
    'bee/c.png': Image.fromarray(rng.integers(0, 256, (10, 10), dtype=np.uint8), 'L'),
    'bee/d.png': Image.fromarray(rng.integers(0, 256, (8, 11, 3), dtype=np.uint8), 'RGB').convert('P'),
}
for name, im in imgs.items():
    os.makedirs(p('folder', os.path.dirname(name)), exist_ok=True)
    im.save(p('folder', name))

# Expected: Resize(6) (shorter side 6, longer floor(6*long/short)), bilinear with half-pixel
# centres and no antialiasing (torch interpolate, align_corners=False), CenterCrop(5),
# ToTensor's 1/255, Normalize(mean, std), all in float64.
mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]
rows = []
for name in sorted(imgs):
    rgb = np.asarray(imgs[name].convert('RGB'), dtype=np.float64)
    t = torch.from_numpy(rgb).permute(2, 0, 1).unsqueeze(0)
    h, w = t.shape[2:]
    size = (6, 6 * w // h) if h <= w else (6 * h // w, 6)
    t = F.interpolate(t, size=size, mode='bilinear', align_corners=False)[0]
    top, left = int(round((size[0] - 5) / 2.0)), int(round((size[1] - 5) / 2.0))
    t = t[:, top:top + 5, left:left + 5] / 255
    t = (t - torch.tensor(mean, dtype=torch.float64)[:, None, None]) / torch.tensor(std, dtype=torch.float64)[:, None, None]
    rows.append(t.numpy())
np.save(p('folder_expected.npy'), np.stack(rows))
np.save(p('folder_labels.npy'), np.array([0, 0, 1, 1]))
