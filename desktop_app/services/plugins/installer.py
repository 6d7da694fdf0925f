"""Installing a plugin (R25) from a folder or a `.tar.gz`: unpacked into a
staging folder inside the data folder, its manifest checked, then moved into
`plugins/` in one rename, so discovery never sees half a plugin.

An archive member that is absolute, climbs out with `..`, is a link or a
device is refused by name (tarfile's "data" filter, plus links refused
outright): a plugin archive has files and folders only.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
from pathlib import Path

from desktop_app.errors import OperatorError
from desktop_app.services.plugins.manifest import MANIFEST_NAME, Manifest, read_manifest

MAX_FILES = 10_000


class InstallError(OperatorError):
    pass


def install_plugin(source: Path, plugins_dir: Path) -> Manifest:
    """Check and copy the plugin at `source` into `plugins_dir`; its manifest."""
    if not source.exists():
        raise InstallError(f"{source}: no such file or folder")
    with tempfile.TemporaryDirectory(prefix=".install-", dir=plugins_dir.parent) as staging:
        root = Path(staging)
        if source.is_dir():
            folder = _copy_folder(source, root)
        elif source.name.endswith((".tar.gz", ".tgz")):
            folder = _unpack(source, root)
        else:
            raise InstallError(f"{source}: not a folder or a .tar.gz archive")
        manifest = read_manifest(folder / MANIFEST_NAME)
        target = plugins_dir / manifest.key
        if target.exists():
            raise InstallError(
                f"a plugin {manifest.key!r} is already installed in {target}; remove that "
                "folder first to replace it"
            )
        folder.rename(target)
    return read_manifest(target / MANIFEST_NAME)


def _copy_folder(source: Path, root: Path) -> Path:
    """The plugin's folder is found before anything is read: a path such as
    `/` is refused at once instead of being walked."""
    try:
        plugin = _plugin_root(source, source)
        _check_files(plugin)
        folder = root / plugin.resolve().name
        shutil.copytree(plugin, folder)
    except OSError as error:
        raise InstallError(f"{source}: cannot be read ({error.strerror or error})") from None
    return folder


def _check_files(folder: Path) -> None:
    for count, path in enumerate(folder.rglob("*"), start=1):
        if path.is_symlink():
            raise InstallError(f"{path}: links are not installed; copy the file itself")
        if count > MAX_FILES:
            raise InstallError(
                f"{folder}: holds more than {MAX_FILES} files; a plugin folder is smaller "
                "(is this the right folder?)"
            )


def _unpack(source: Path, root: Path) -> Path:
    unpacked = root / source.name.removesuffix(".tar.gz").removesuffix(".tgz")
    try:
        with tarfile.open(source, "r:gz") as archive:
            for member in archive.getmembers():
                if member.name.startswith("/") or ".." in Path(member.name).parts:
                    raise InstallError(
                        f"{source}: {member.name} would be written outside the plugin's folder"
                    )
                if not (member.isfile() or member.isdir()):
                    raise InstallError(
                        f"{source}: {member.name} is a link or a device; a plugin archive holds "
                        "files and folders only"
                    )
            archive.extractall(unpacked, filter="data")
    except tarfile.FilterError as error:
        raise InstallError(f"{source}: refused: {error}") from None
    except (tarfile.TarError, OSError, EOFError) as error:
        raise InstallError(f"{source}: not a readable .tar.gz archive ({error})") from None
    return _plugin_root(unpacked, source)


def _plugin_root(folder: Path, source: Path) -> Path:
    """The folder holding plugin.toml: the top, or its one sub-folder."""
    if (folder / MANIFEST_NAME).is_file():
        return folder
    inner = [path for path in folder.iterdir() if path.is_dir()]
    if len(inner) == 1 and (inner[0] / MANIFEST_NAME).is_file():
        return inner[0]
    raise InstallError(f"{source}: no {MANIFEST_NAME} at its top or in its one folder")
