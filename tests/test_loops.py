"Property tests of the loop detectors: true periods are found, clean lists pass, verdicts are prefix-closed."
import math
import string

from hypothesis import given, settings, strategies as st

from loopbook.loops import Verdict, detect_loop, list_collapse, parse_items, trailing_cycle, verbatim_tail

FAST = settings(max_examples=100, deadline=None, database=None)  # no .hypothesis folder in the repo


def smallest_period(xs: list) -> int:
    "The smallest p such that `xs` is len(xs)/p copies of its first p elements."
    return next(p for p in range(1, len(xs) + 1) if len(xs) % p == 0 and xs == xs[:p] * (len(xs) // p))


# Distinct tokens make a block aperiodic and free of shorter internal repeats, so its length is the only period
# either detector can see. Prefix tokens are negative, so the loop cannot reach back into the prefix.
blocks = st.lists(st.integers(0, 10**6), min_size=2, max_size=20, unique=True)
prefixes = st.lists(st.integers(-10**6, -1), max_size=30, unique=True)


@FAST
@given(blocks, prefixes, st.integers(0, 4))
def test_true_period_is_found(block, prefix, extra):
    p = len(block)
    copies = max(3, math.ceil(24 / p)) + extra
    seq = prefix + block * copies
    v = verbatim_tail(seq)
    assert (v["period"], v["onset"]) == (p, len(prefix))
    assert v["detected_at"] == len(prefix) + max(3 * p, 24) - 1  # the first token at which the criterion holds
    assert trailing_cycle(seq) == dict(size=p, count=copies, start=len(prefix))


@FAST
@given(st.lists(st.integers(0, 3), min_size=2, max_size=20).filter(lambda b: smallest_period(b) == len(b)),
       st.integers(0, 4))
def test_aperiodic_blocks_over_a_small_alphabet(block, extra):
    "Blocks with repeated tokens: whatever is reported really is a periodic tail, found no later than the true loop."
    p = len(block)
    seq = block * (max(3, math.ceil(24 / p)) + extra)
    v = verbatim_tail(seq)
    q, start, end = v["period"], v["onset"], v["detected_at"] + 1
    assert q <= p and end <= max(3 * p, 24)
    assert end - start >= max(3 * q, 24) and all(seq[i] == seq[i - q] for i in range(start + q, end))
    c = trailing_cycle(seq)
    assert c["size"] <= p and seq[-c["size"]:] * c["count"] == seq[c["start"]:]


words = st.text(string.ascii_letters + string.digits + "'&", min_size=1, max_size=8)
items = st.lists(words, min_size=1, max_size=3).map(" ".join)


@FAST
@given(st.lists(items, max_size=200, unique_by=lambda x: x.casefold()), st.booleans())
def test_lists_without_repeats_are_never_flagged(xs, period):
    text = ", ".join(xs) + ("." if period else "")
    assert parse_items(text) == (xs if len(xs) > 1 else [])  # one item without a comma is not a list
    assert list_collapse(xs) is None
    assert detect_loop(text) == Verdict(False)


tokens = st.integers(0, 50)
looping_ids = st.builds(lambda pre, block, k, post: pre + block * k + post, st.lists(tokens, max_size=40),
                        st.lists(tokens, min_size=1, max_size=12), st.integers(3, 30), st.lists(tokens, max_size=20))


@FAST
@given(looping_ids.filter(lambda s: detect_loop(s).looping), st.data())
def test_prefix_closure_on_ids(seq, data):
    full = detect_loop(seq)
    at = full.evidence["prefix"]
    assert detect_loop(seq[:at]) == full and not detect_loop(seq[:at - 1]).looping
    for n in data.draw(st.lists(st.integers(0, len(seq)), max_size=5)):
        assert detect_loop(seq[:n]) == (full if n >= at else Verdict(False))


@FAST
@given(st.lists(words, min_size=1, max_size=8, unique_by=str.casefold), st.lists(words, min_size=1, max_size=3),
       st.integers(2, 12))
def test_prefix_closure_on_collapsing_lists(head, cycle, laps):
    "A list that decays into a short cycle: every prefix cut after a comma agrees with the whole once past detection."
    text = ", ".join(head + cycle * laps)
    full = detect_loop(text)
    cuts = [i + 1 for i, ch in enumerate(text) if ch == ","] + [len(text)]
    for n in cuts:
        assert detect_loop(text[:n]) == (full if full.looping and n >= full.evidence["prefix"] else Verdict(False))
