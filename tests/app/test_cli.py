"""The `nnlive` command: its options, and the server it starts."""

import asyncio

import websockets

from app.cli import build_parser
from tests.conftest import LiveServer


def test_serve_defaults_to_loopback_port_8000() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.reload) == ("127.0.0.1", 8000, False)


def test_served_websocket_declines_per_message_deflate(live_server: LiveServer) -> None:
    """Frames are compact already; compressing them would spend event-loop CPU on every frame."""

    async def negotiated_extensions() -> list[str]:
        async with websockets.connect(live_server.ws_url + "/ws/train", compression="deflate") as ws:
            return [type(ext).__name__ for ext in ws.protocol.extensions]

    assert asyncio.run(negotiated_extensions()) == []
