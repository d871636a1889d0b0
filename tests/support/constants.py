"""Values every test shares: the clock of the demo world and the test accounts' password."""

from __future__ import annotations

import datetime as dt

# Ten minutes ago: recent enough to be fresh, old enough to test the stale threshold.
NOW = (dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
       - dt.timedelta(minutes=10))
PASSWORD = "correct horse battery"
