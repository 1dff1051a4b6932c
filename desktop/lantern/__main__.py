"""``python -m lantern ...`` is the ``lantern`` command (the same as ``python -m lantern.cli``)."""

import sys

from lantern.cli import main

sys.exit(main())
