"""Writing output files without ever writing through a symbolic link.

Who calls it: ``report --out DIR`` (and any command that writes into a folder the user names).
Why: a link planted where the report will go (``reports/demo.html -> ~/.bashrc``) would make the
command overwrite the link's target. The output is built in a new file of our own in the same
folder and renamed into place, which replaces a directory entry and never follows it; a link at
the target, or a folder that is itself a link, is refused by name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from exercise_engine.commands import UserError


def output_folder(folder: Path) -> Path:
    """``folder``, made if missing; refused if it is a link or not a folder."""
    if folder.is_symlink():
        raise UserError(f"{folder} is a symbolic link: give the folder it points to, not the link")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError(f"{folder} exists and is not a folder") from None
    except OSError as exc:
        raise UserError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    return folder


def write_file(target: Path, fill: Callable[[Path], object]) -> None:
    """Make ``target`` by letting ``fill`` write a staging file, then renaming it into place."""
    if target.is_symlink():
        raise UserError(f"{target} is a symbolic link: refusing to write through it (remove it)")
    if target.exists() and not target.is_file():
        raise UserError(f"{target} exists and is not a file: refusing to replace it")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".writing", dir=target.parent)
    except OSError as exc:
        raise UserError(f"cannot write to {target.parent}: {exc.strerror or exc}") from None
    os.close(fd)
    staging = Path(name)
    try:
        fill(staging)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o666 & ~mask)  # as a plain new file would be (mkstemp makes 0600)
        os.replace(staging, target)  # replaces the entry itself: a link there is never followed
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        staging.unlink(missing_ok=True)
