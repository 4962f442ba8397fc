"""The Conversations room: the inbox, a thread as chat bubbles, and a reply box that knows the
24-hour window (``pane.py`` wires the parts: ``list_model``, ``thread_view``, ``bubbles``,
``reply_box``, ``window_badge``, ``backoff``)."""
