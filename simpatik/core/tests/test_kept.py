"""What a process keeps (core.kept.Kept): bounded, the least recently used go first."""

import threading

from simpatik.core.kept import Kept


def test_the_least_recently_used_go_first_past_the_size():
    kept = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" used: "b" is now the oldest
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)
    assert len(kept) == 2
    assert kept.get("b", "missing") == "missing"
    kept.clear()
    assert len(kept) == 0 and kept.get("a") is None


def test_a_kept_falsy_value_is_found_and_put_returns_it():
    kept = Kept(4)
    assert kept.put("empty", {}) == {}
    assert kept.get("empty", "missing") == {}


def test_many_threads_never_push_it_past_its_size():
    kept = Kept(50)

    def fill(offset):
        for i in range(500):
            kept.put((offset, i), i)
            kept.get((offset, i - 1))

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kept) == 50
