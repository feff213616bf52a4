"""numba's cache folder from the setting, and numba threads per Dask worker."""

from __future__ import annotations

import numba

from solar.jit import use_cache_dir, worker_threads


def test_the_cache_folder_is_made_and_handed_to_numba(tmp_path, monkeypatch):
    monkeypatch.setattr(numba.config, "CACHE_DIR", numba.config.CACHE_DIR)
    monkeypatch.setenv("NUMBA_CACHE_DIR", "")
    folder = use_cache_dir(tmp_path / "kernels")
    assert folder == (tmp_path / "kernels").resolve()
    assert folder.is_dir()
    assert str(folder) == numba.config.CACHE_DIR


def test_no_folder_keeps_numbas_choice(monkeypatch):
    monkeypatch.setattr(numba.config, "CACHE_DIR", "")
    assert use_cache_dir("") is None
    assert use_cache_dir(None) is None
    assert numba.config.CACHE_DIR == ""


def test_workers_share_the_cores():
    assert [worker_threads(8, n) for n in (1, 2, 3, 8, 16)] == [8, 4, 2, 1, 1]
    assert worker_threads(None, 2) == 1
