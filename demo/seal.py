"""A round red company seal for the demo certificate design, drawn with Pillow: the company
name along the top arc, a star, and the seal's purpose across the bottom."""

import io
import math

from PIL import Image, ImageDraw, ImageFont

RED = (200, 30, 30, 255)


def _font(size: int):
    from certification.pdf_fonts import locate

    face = locate("Noto Sans CJK SC:weight=bold")
    if face is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(face.path, size, index=face.index)


def _star(draw, centre: float, radius: float) -> None:
    points = []
    for n in range(10):
        angle = math.pi / 2 + n * math.pi / 5
        r = radius if n % 2 == 0 else radius * 0.4
        points.append((centre + r * math.cos(angle), centre - r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def seal_png(company: str, purpose: str, size: int = 360) -> bytes:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, ring = size / 2, size * 0.035
    draw.ellipse((ring, ring, size - ring, size - ring), outline=RED, width=int(ring))
    _star(draw, centre, size * 0.14)
    font = _font(int(size * 0.105))
    spread = math.radians(230)  # the arc the name covers, centred on the top
    for n, character in enumerate(company):
        angle = -spread / 2 + spread * (n + 0.5) / len(company)
        glyph = Image.new("RGBA", (int(size * 0.14),) * 2, (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2), character, font=font, fill=RED, anchor="mm"
        )
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.BICUBIC)
        radius = size * 0.345
        x = centre + radius * math.sin(angle) - glyph.width / 2
        y = centre - radius * math.cos(angle) - glyph.height / 2
        image.alpha_composite(glyph, (int(x), int(y)))
    draw.text((centre, size * 0.74), purpose, font=_font(int(size * 0.08)), fill=RED, anchor="mm")
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()
