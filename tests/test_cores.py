"""Tests for cvpress.cores: the order engines get the cores in (Slots), and the ranks build.py gives."""

from __future__ import annotations

import threading
import time

from conftest import CONTENT

from cvpress import cores
from cvpress.build import Options, _ranks


def _grants(slots: cores.Slots, requests: list[tuple[float, int]]) -> list[int]:
    """Threads asking for a core at the given delays with the given priorities; the order served."""
    order, lock = [], threading.Lock()

    def ask(delay: float, priority: int) -> None:
        time.sleep(delay)
        with slots.slot(priority):
            with lock:
                order.append(priority)
            time.sleep(0.02)

    threads = [threading.Thread(target=ask, args=r) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return order


def test_a_free_core_goes_to_the_lowest_priority_number_waiting():
    slots = cores.Slots(1)
    with slots.slot(9):  # the only core is busy while all three queue up
        threads = threading.Thread(target=lambda: order.extend(_grants(slots, [(0, 2), (0.01, 0), (0.02, 1)])))
        order: list[int] = []
        threads.start()
        time.sleep(0.2)
    threads.join(timeout=30)
    assert order == [0, 1, 2]


def test_an_expected_variant_gets_the_core_even_when_it_asks_late(monkeypatch):
    monkeypatch.setattr(cores.Slots, "HOLD", 10.0)
    slots = cores.Slots(1)
    slots.expect([0, 1])
    assert _grants(slots, [(0, 1), (0.2, 0)]) == [0, 1]


def test_an_expected_variant_that_never_asks_holds_no_one_for_long(monkeypatch):
    monkeypatch.setattr(cores.Slots, "HOLD", 0.05)
    slots = cores.Slots(1)
    slots.expect([0])
    assert _grants(slots, [(0, 1)]) == [1]
    slots.arrived(0)  # a cache hit or an error: it will not ask


def test_the_tightest_page_budget_is_first_in_line():
    from cvpress import content, variants

    resume = content.load(CONTENT)
    selections = [variants.select(resume, name) for name in ("full", "onepage", "manager")]
    assert _ranks(selections, Options()) == [1, 0, 2]
    assert _ranks(selections, Options(fit=False)) == [0, 1, 2]
