"""Writes the ONNX project's backend node test data (model.onnx plus input_N.pb / output_N.pb per case)
with the installed python3-onnx: `python3 generate.py OUT_DIR`.

ONNX 1.12's data generators still use NumPy aliases that NumPy 1.24 removed (np.float, np.int, ...);
they are restored as the builtins they always meant before the generator is imported.
"""
import sys

import numpy as np

for alias, builtin in (("float", float), ("int", int), ("bool", bool), ("object", object), ("complex", complex), ("str", str)):
    if alias not in np.__dict__:
        setattr(np, alias, builtin)

from onnx.backend.test import cmd_tools  # noqa: E402

if len(sys.argv) != 2:
    sys.exit("usage: generate.py OUT_DIR")
sys.argv = [sys.argv[0], "generate-data", "-o", sys.argv[1]]
cmd_tools.main()
