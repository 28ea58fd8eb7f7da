"""The protocol's one definition (app/protocol.py) against docs/protocol.md and against what the server
writes: every message type in the docs' tables is a model, and every frame header encode_frame writes is a
`FrameHeader`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from app.encoding import encode_frame, frame_header
from app.protocol import MESSAGE_TYPES, FrameHeader, ServerText
from nncore import Trainer

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")


def table_types(heading: str) -> list[str]:
    """The message types in the first column of the table under `heading`."""
    section = DOC.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    table = section.split("Details:", 1)[0]
    return re.findall(r"^\| `(\w+)`", table, flags=re.MULTILINE)


def test_every_documented_client_message_is_a_model_and_back() -> None:
    assert sorted(table_types("Client → server")) == sorted(MESSAGE_TYPES)


def test_every_documented_server_text_is_a_model_and_back() -> None:
    models = [model.model_fields["type"].default for model in get_args(ServerText)]
    assert sorted(table_types("Server → client")) == sorted(models)


@pytest.mark.parametrize(
    ("config", "grid", "neuron_grid"),
    [
        ({"network": {"hidden": [4, 3]}}, 20, 8),
        ({"network": {"hidden": [4]}}, 20, None),
        ({"data": {"dataset": "blobs", "k": 3}, "network": {"hidden": [5]}}, 10, 4),
        ({"data": {"dataset": "and"}, "training": {"rule": "perceptron"}}, None, None),
        (
            {"data": {"dataset": "xor"}, "network": {"hidden": []}, "training": {"learning_rate": 10.0}},
            6,
            None,
        ),
    ],
)
def test_every_frame_header_is_a_frame_header(
    config: dict, grid: int | None, neuron_grid: int | None
) -> None:
    trainer = Trainer(config)
    for _ in range(3):
        trainer.run_epochs(5)
        FrameHeader.model_validate(frame_header(encode_frame(trainer.frame(grid, neuron_grid))))
