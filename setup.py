"""The wheel carries `resources/` inside the package (as `desktop_app/resources/`):
package data cannot reach a folder beside the package, and the design keeps
`resources/` at the top of the tree. An editable install reads it in place."""

from pathlib import Path
from shutil import copytree, ignore_patterns

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            copytree(
                Path("resources"),
                Path(self.build_lib) / "desktop_app" / "resources",
                ignore=ignore_patterns("*.ts", "__pycache__", "*.pyc"),
                dirs_exist_ok=True,
            )


setup(cmdclass={"build_py": BuildWithResources})
