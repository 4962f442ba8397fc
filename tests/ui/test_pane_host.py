"""Rooms added with ``PaneHost.add_later`` are built off the window's first slice of work."""

from __future__ import annotations

from typing import Any

from whats91_desktop.core.models import Profile
from whats91_desktop.ui.panes import Pane, PaneHost


class Room(Pane):
    pane_title = "Room"

    def __init__(self) -> None:
        super().__init__()
        self.profiles: list[str] = []

    def on_profile_changed(self, profile: Profile) -> None:
        self.profiles.append(profile.name)


class Hall(Room):
    pane_title = "Hall"


def test_a_later_room_is_built_on_a_later_turn_and_given_the_current_profile(qtbot: Any) -> None:
    host = PaneHost()
    qtbot.addWidget(host)
    built: list[Room] = []

    def build() -> Room:
        built.append(Room())
        return built[-1]

    first = Hall()
    host.add(first)
    host.add_later("Room", build)
    host.on_profile_changed(Profile(name="Desk", base_url="https://x.example"))
    assert built == []  # not in the caller's slice
    assert host.rail.count() == 2  # but its tab is there at once
    qtbot.waitUntil(lambda: len(built) == 1, timeout=2000)
    assert built[0].profiles == ["Desk"]
    assert host.panes() == [first, built[0]]


def test_showing_a_waiting_room_builds_it_at_once(qtbot: Any) -> None:
    host = PaneHost()
    qtbot.addWidget(host)
    host.add(Hall())
    host.add_later("Room", Room)
    host.show_pane("Room")  # before the event loop had a turn
    shown = host.stack.currentWidget()
    assert isinstance(shown, Room)
    assert host.panes()[1] is shown


def test_a_room_still_waiting_at_shutdown_is_never_built(qtbot: Any) -> None:
    host = PaneHost()
    qtbot.addWidget(host)
    built: list[Room] = []
    host.add(Hall())
    host.add_later("Room", lambda: built.append(Room()) or built[-1])
    host.shutdown()
    qtbot.wait(50)
    assert built == []


def test_settled_is_told_once_when_the_last_waiting_room_is_built(qtbot: Any) -> None:
    host = PaneHost()
    qtbot.addWidget(host)
    settled: list[int] = []
    host.settled.connect(lambda: settled.append(host.stack.count()))
    host.add(Hall())
    host.add_later("Room", Room)
    host.add_later("Hall", Hall)
    assert settled == []
    qtbot.waitUntil(lambda: bool(settled), timeout=2000)
    qtbot.wait(50)
    assert settled == [3]
    assert all(isinstance(pane, Room) for pane in host.panes())
