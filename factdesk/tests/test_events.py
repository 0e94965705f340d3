import pytest

from factdesk.events import Event


def test_subscribers_run_in_order_once_each_and_answer():
    event = Event("thing_happened", "test event")
    heard = []

    def first(**data):
        heard.append(("first", data))
        return 1

    def second(**data):
        heard.append(("second", data))
        return 2

    event.subscribe(first)
    event.subscribe(second)
    event.subscribe(first)  # again, e.g. ready() running twice

    assert event.announce(n=3) == [1, 2]
    assert heard == [("first", {"n": 3}), ("second", {"n": 3})]
    event.unsubscribe(first)
    assert event.subscribers == (second,)


def test_a_failing_subscriber_fails_the_announcer():
    event = Event("thing_happened", "test event")

    def broken(**data):
        raise RuntimeError("subscriber broke")

    event.subscribe(broken)
    with pytest.raises(RuntimeError, match="subscriber broke"):
        event.announce()
