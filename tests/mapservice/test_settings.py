"""The one typed settings object: defaults, environment, validation, documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapservice import ConfigError, Settings, create_app, load_settings
from mapservice.settings import DEFAULT_DATA_DIR, describe


def test_environment_variables_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MINFASTIGHET_SEARCH_LIMIT", "25")
    monkeypatch.setenv("MINFASTIGHET_LANGUAGES", '["en", "sv"]')
    settings = load_settings()
    assert settings.data_dir == tmp_path.resolve()
    assert settings.search_limit == 25
    assert settings.default_language == "en"


def test_config_mapping_wins_over_the_environment(monkeypatch, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("MINFASTIGHET_DATA_DIR", str(tmp_path))
    assert load_settings({"data_dir": str(other)}).data_dir == other.resolve()


def test_derived_paths_follow_the_data_directory(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.vector_path == tmp_path.resolve() / "minfastighet.gpkg"
    assert settings.solar_catalog_path == tmp_path.resolve() / "stac" / "catalog.json"
    assert Settings(data_dir=tmp_path, vector_dsn="/srv/x.gpkg").vector_path == Path("/srv/x.gpkg")


def test_settings_are_frozen(tmp_path):
    settings = Settings(data_dir=tmp_path)
    with pytest.raises(ValueError, match="frozen"):
        settings.search_limit = 3


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"data_dir": "/no/such/dir"}, "sample-data"),
        ({"search_limit": 0}, "search_limit"),
        ({"languages": ["sv", "de"]}, "languages"),
        ({"background_map_url": "ftp://tiles"}, "background_map_url"),
        ({"background_map_url": "https://tiles.example/{z}/{x}.png"}, "background_map_url"),
        ({"vector_store": "oracle"}, "vector_store"),
        ({"no_such_setting": 1}, "no_such_setting"),
    ],
)
def test_invalid_settings_get_a_clear_message(tmp_path, values, message):
    values = {"data_dir": str(tmp_path), **values}
    with pytest.raises(ConfigError, match=message):
        create_app(values)


def test_every_setting_is_documented_in_the_readme():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for variable, _default, help_text in describe():
        assert help_text, variable
        assert f"`{variable}`" in readme, f"{variable} is not documented in README.md"


def test_the_default_data_directory_is_data_sample_under_the_working_directory(
    tmp_path, monkeypatch
):
    assert not DEFAULT_DATA_DIR.is_absolute()  # never inside the installed package
    (tmp_path / "data" / "sample").mkdir(parents=True)
    monkeypatch.delenv("MINFASTIGHET_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_settings().data_dir == tmp_path.resolve() / "data" / "sample"
