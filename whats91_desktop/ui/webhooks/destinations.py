"""The destinations table: one row per webhook of the profile's sender, as the API lists them."""

from __future__ import annotations

from PySide6.QtGui import QColor

from whats91_desktop.core.webhooks import Webhook
from whats91_desktop.ui.palette import adapt
from whats91_desktop.ui.webhooks.table_model import ListTableModel

_INACTIVE = "#80868b"


def retries_text(hook: Webhook) -> str:
    if hook.retry_enabled is False:
        return "off"
    if hook.retry_max_attempts is None:
        return "on" if hook.retry_enabled else "—"
    return f"up to {hook.retry_max_attempts} attempts"


class DestinationsModel(ListTableModel[Webhook]):
    columns = ("Name", "Endpoint URL", "Events", "Status", "Timeout", "Retries", "Verification header")

    def cells(self, item: Webhook) -> tuple[str, ...]:
        header = item.verification_header_key or "—"
        if item.verification_header_key:
            header += " (token set)" if item.has_verification_token else " (no token)"
        return (
            item.name,
            item.endpoint_url,
            ", ".join(item.events),
            item.status,
            f"{item.timeout_ms} ms" if item.timeout_ms is not None else "—",
            retries_text(item),
            header,
        )

    def colour(self, item: Webhook, column: int) -> QColor | None:
        return None if item.active else QColor(adapt(_INACTIVE))

    def replace(self, hook: Webhook) -> None:
        """One destination changed (or is new): its row is updated in place, or added."""
        row = self.row_of(hook.uid)
        if row is None:
            self.append(hook)
            return
        self._items[row] = hook
        self.row_changed(row)

    def row_of(self, uid: str) -> int | None:
        return next((row for row, hook in enumerate(self._items) if hook.uid == uid), None)
