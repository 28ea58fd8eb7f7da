"""The `nnlive` command line: `nnlive serve [--host 127.0.0.1] [--port 8000] [--workers N] [--reload]
[--log-level info]`."""

from __future__ import annotations

import argparse
import os

import uvicorn

from app.logs import LEVELS, log_config


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `nnlive`."""
    parser = argparse.ArgumentParser(prog="nnlive", description="Watch neural networks learn, live.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default: loopback only)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    serve.add_argument(
        "--workers",
        type=_count,
        default=None,
        help="training processes for the live sessions (default: NNLIVE_WORKERS, or one per CPU)",
    )
    serve.add_argument("--reload", action="store_true", help="restart when the source changes (development)")
    serve.add_argument(
        "--log-level", choices=LEVELS, default="info", help="the least important lines logged (default: info)"
    )
    return parser


def _count(text: str) -> int:
    """A positive whole number (argparse's type for --workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: at least 1 training process")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the `nnlive` command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        if args.workers is not None:  # the app reads its settings from the environment (app/settings.py)
            os.environ["NNLIVE_WORKERS"] = str(args.workers)
        # Frames are compact uint8 grids already; per-message deflate costs up to 0.7 ms of event-loop CPU
        # per frame for every browser (they all negotiate it), so the server declines it.
        # Requests are logged by the app itself, one line each in the log's one format (app/logs.py).
        uvicorn.run(
            "app.main:app",
            host=args.host,
            port=args.port,
            reload=args.reload,
            ws_per_message_deflate=False,
            log_config=log_config(args.log_level),
            log_level=args.log_level,
            access_log=False,
        )
    return 0
