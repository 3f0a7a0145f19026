"""Long replies, many at once: 100 runs streaming 2,000 words each, against one alone.

.venv/bin/python -m bench.long_replies [--runs 100] [--words 2000] [--delay 0.02]
    [--database-url postgresql://...] [--workers N]

`bench.concurrent_runs` with replies 35 times longer, at 50 words a second: a reply's cost
must not grow with the square of its length, so each stream should end within 2x the time a
run streamed alone takes (the "against a run streamed alone" line).
"""

from __future__ import annotations

from bench.concurrent_runs import parser, run

if __name__ == "__main__":
    run(parser(runs=100, words=2000, delay=0.02).parse_args())
