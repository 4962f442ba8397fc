"""The Webhooks room: destinations (create, edit, deactivate, the one-time secret), the local
receiver with its live list of deliveries, forwarding, replay and test events.

- :mod:`.pane`: :class:`~.pane.WebhooksPane`, the room itself;
- :mod:`.destinations`: the destinations table's model;
- :mod:`.deliveries`: the live deliveries list's model and the selected delivery's text;
- :mod:`.form`: create or edit a destination, with problems next to the fields;
- :mod:`.secret_dialog`: the signing secret, shown once after create or on "Reveal";
- :mod:`.sample_dialog`: "Send test event" with a message id from the log.
"""
