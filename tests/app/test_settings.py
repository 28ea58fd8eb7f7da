"""Server settings from the environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.settings import Settings


@pytest.fixture
def from_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], Settings]:
    """`Settings.from_env()` with exactly these NNLIVE_* variables set."""

    def read(environ: dict[str, str]) -> Settings:
        for name in os.environ:
            if name.startswith("NNLIVE_"):
                monkeypatch.delenv(name)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return Settings.from_env()

    return read


def test_defaults(from_env: Callable[[dict[str, str]], Settings]) -> None:
    settings = from_env({})
    assert settings == Settings()
    assert settings.max_sessions >= 64 and settings.max_fps == 30 and settings.allowed_origins == ()


def test_values_come_from_nnlive_variables(from_env: Callable[[dict[str, str]], Settings]) -> None:
    settings = from_env(
        {
            "NNLIVE_MAX_SESSIONS": "200",
            "NNLIVE_MAX_FPS": "12.5",
            "NNLIVE_ALLOWED_ORIGINS": "https://a.example, http://b.example:8080/ ,",
            "NNLIVE_TRAIN_BUDGET": "1e8",
            "NNLIVE_MAX_GRID": "150",
        }
    )
    assert settings.max_sessions == 200 and isinstance(settings.max_sessions, int)
    assert settings.max_fps == 12.5
    assert settings.allowed_origins == ("https://a.example", "http://b.example:8080")
    assert settings.train_budget == 1e8 and settings.max_grid == 150
    assert from_env({"NNLIVE_MAX_MESSAGE_BYTES": "1e6"}).max_message_bytes == 1_000_000
    assert from_env({"NNLIVE_ALLOWED_ORIGINS": "*"}).allowed_origins == ("*",)


@pytest.mark.parametrize(
    ("name", "value"),
    [("NNLIVE_MAX_SESSIONS", "many"), ("NNLIVE_MAX_FPS", "0"), ("NNLIVE_MAX_STEP", "12.5")],
)
def test_a_malformed_value_names_the_variable(
    from_env: Callable[[dict[str, str]], Settings], name: str, value: str
) -> None:
    with pytest.raises(ValueError, match=name) as info:
        from_env({name: value})
    assert repr(value) in str(info.value)


def test_public_limits_leave_out_the_origins() -> None:
    assert "allowed_origins" not in Settings(allowed_origins=("https://a.example",)).public()


@pytest.mark.parametrize("name", ["NNLIVE_MAX_GRID", "NNLIVE_MAX_NEURON_GRID"])
def test_a_grid_limit_above_nncores_is_refused(
    from_env: Callable[[dict[str, str]], Settings], name: str
) -> None:
    from nncore import LIMITS

    assert from_env({name: str(LIMITS["grid"])})  # the largest allowed
    with pytest.raises(ValueError, match=name):
        from_env({name: str(LIMITS["grid"] + 1)})


def test_saved_scenes_default_to_sqlite_in_the_users_data_folder(
    from_env: Callable[[dict[str, str]], Settings],
) -> None:
    import platformdirs

    settings = from_env({})
    assert settings.database_url is None
    assert settings.data_dir == Path(platformdirs.user_data_dir("nnlive", appauthor=False))
    assert settings.scene_max_bytes == 2_097_152 and settings.scene_history_points == 1000
    changed = from_env({"NNLIVE_DATA_DIR": "/srv/nnlive", "NNLIVE_SCENE_MAX_BYTES": "1e6"})
    assert changed.data_dir == Path("/srv/nnlive") and changed.scene_max_bytes == 1_000_000


def test_database_url_is_read_without_the_prefix_and_an_empty_one_is_none(
    from_env: Callable[[dict[str, str]], Settings],
) -> None:
    url = "postgresql://nnlive:secret@db.example:5432/nnlive"
    assert from_env({"DATABASE_URL": url}).database_url == url
    assert from_env({"DATABASE_URL": ""}).database_url is None
    assert Settings(database_url=url).database_url == url


def test_a_database_url_that_is_not_postgresql_is_refused_without_showing_its_password(
    from_env: Callable[[dict[str, str]], Settings],
) -> None:
    with pytest.raises(ValueError) as info:
        from_env({"DATABASE_URL": "mysql://nnlive:secret@db.example/nnlive"})
    message = str(info.value)
    assert message.startswith("DATABASE_URL='mysql://nnlive:***@db.example/nnlive' is not allowed: must be a")
    assert "secret" not in message


def test_public_limits_leave_out_the_database_and_the_data_folder() -> None:
    public = Settings(database_url="postgresql://u:secret@db/nnlive", data_dir=Path("/srv")).public()
    assert {"scene_max_bytes", "scene_history_points"} <= public.keys()
    assert not {"database_url", "data_dir", "database_pool_size"} & public.keys()
