"""Webhooks v2 on this computer: the local receiver, what its deliveries do, and relaying them.

- :mod:`.receiver`: the HTTP listener (127.0.0.1 by default) that answers 200 at once and queues;
- :mod:`.hub`: :class:`~.hub.WebhookHub`, what the window and the CLI use: it verifies each
  delivery, applies the trusted ones to the message log, keeps the live list, forwards,
  replays and sends test events;
- :mod:`.records`: one delivery as the list shows it (secrets redacted), and the counters;
- :mod:`.relay`: one POST of raw bytes to an endpoint (forwarding, replay, "Send test event");
- :mod:`.secrets`: signing secrets and verification tokens in the keychain, by webhook uid.

Plain Python, no Qt: the pane subscribes to the hub's topics.
"""
