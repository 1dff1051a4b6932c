"""Lantern — offline clinical assistant for rural clinics."""

import os as _os

__version__ = "0.1.0"

# Lantern never talks to a network. Make sure no library we pull in tries to.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
}.items():
    _os.environ.setdefault(_name, _value)
