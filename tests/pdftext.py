"""The text of a PDF as a reader sees it (poppler's pdftotext, installed by the test set-up)."""

import shutil
import subprocess  # noqa: S404 - pdftotext with fixed arguments
import tempfile
from pathlib import Path


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        return subprocess.run(  # noqa: S603 - fixed executable, our own file
            [shutil.which("pdftotext") or "pdftotext", str(path), "-"],
            capture_output=True, text=True, check=True).stdout
