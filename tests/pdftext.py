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
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def _first_page_png(data: bytes, folder: str, dpi: int) -> Path:
    """The PDF's first page drawn by poppler's pdftoppm at `dpi`, as a PNG in `folder`."""
    path = Path(folder) / "document.pdf"
    path.write_bytes(data)
    subprocess.run(  # noqa: S603 - fixed executable, our own file
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-singlefile",
            str(path),
            str(Path(folder) / "page"),
        ],
        check=True,
    )
    return Path(folder) / "page.png"


def pdf_qr_codes(data: bytes) -> list[str]:
    """What the QR codes on the PDF's first page say, read from a 150 dpi picture of it
    (poppler's pdftoppm, zbar's zbarimg) as a phone camera would."""
    with tempfile.TemporaryDirectory() as folder:
        page = _first_page_png(data, folder, dpi=150)
        found = subprocess.run(  # noqa: S603 - fixed executable, our own file
            [shutil.which("zbarimg") or "zbarimg", "--quiet", "--raw", str(page)],
            capture_output=True,
            text=True,
            check=True,
        )
        return found.stdout.split()


def pdf_page_image(data: bytes, dpi: int = 60):
    """The PDF's first page as a greyscale picture (poppler's pdftoppm), to compare drawings."""
    from PIL import Image

    with (
        tempfile.TemporaryDirectory() as folder,
        Image.open(_first_page_png(data, folder, dpi)) as page,
    ):
        return page.convert("L")
