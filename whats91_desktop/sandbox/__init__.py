"""The built-in Whats91 v2 emulator: an ASGI app, its state, an httpx transport and a loopback server.

It stands alone: no Qt, no UI, no client. From ``whats91_desktop.core`` it takes only the
loopback rule (``core.urls``), so it listens on exactly the hosts the client may reach over
plain http, and the small HTTP/1.1 server (``core.http_server``) it shares with the desktop's
webhook receiver. See the README (its "The sandbox" section) for the tokens, senders and scenario recipients.

Import from the submodules (``sandbox.app``, ``.constants``, ``.server``, ``.state``,
``.transport``). This file imports nothing on purpose: it runs before any of them, and the
window's start-up needs only ``constants`` and ``state``, not the app, the server and the
transport (h11, httpx, the e-mail parser).
"""
