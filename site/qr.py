"""QR codes as SVG data URIs, for pages and PDFs alike (a certificate's verification link, an
activation sheet's links): an image the strict Content-Security-Policy allows (`img-src data:`)
and that prints sharp at any size."""

import segno


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(border=0, dark="#222")
