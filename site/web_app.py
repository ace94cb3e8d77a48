"""The installable web app: what `/manifest.webmanifest` says. Pure: no request, no database.

Its colours are the site's own: `THEME_COLOUR` is `--brand` and `BACKGROUND_COLOUR` is `--bg`
in `academy/css/academy.css` (a test reads the stylesheet). The icons are hand-made PNGs
under `academy/img/` (the favicon's speech bubble): 192 and 512 px for any use, and the same
sizes as maskable (the mark inside the middle 80 %, on full-bleed brand colour) for the
launchers that cut icons into circles or squircles.
"""

from __future__ import annotations

from collections.abc import Callable

THEME_COLOUR = "#0b6e6e"
BACKGROUND_COLOUR = "#f5f7fa"
ICONS = (
    ("academy/img/icon-192.png", 192, "any"),
    ("academy/img/icon-512.png", 512, "any"),
    ("academy/img/icon-maskable-192.png", 192, "maskable"),
    ("academy/img/icon-maskable-512.png", 512, "maskable"),
)


def manifest(
    *,
    name: str,
    short_name: str,
    start_url: str,
    static_url: Callable[[str], str],
    shortcuts: list[tuple[str, str]] = (),
    lang: str = "zh-CN",
) -> dict:
    """The Web App Manifest: opens standalone at `start_url`, icons by their served
    (possibly hashed) URLs; `shortcuts` as (name, url) for a long press on the icon."""
    return {
        "name": name,
        "short_name": short_name,
        "lang": lang,
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": static_url(path),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for path, size, purpose in ICONS
        ],
        "shortcuts": [{"name": label, "url": url} for label, url in shortcuts],
    }
