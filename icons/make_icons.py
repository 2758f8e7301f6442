#!/usr/bin/env python3
"""Draws Agent Bar's icons: a green status dot with a darker rim and a soft highlight.

Writes 32-bit RGBA PNGs (Tauri refuses anything else) using only zlib and struct, so it runs on
any Python 3 without PIL:

    python3 icons/make_icons.py        # writes beside this script

Edges are anti-aliased by 4x4 supersampling each pixel.
"""

import os
import struct
import zlib

# (file name, edge in pixels)
SIZES = [
    ("32x32.png", 32),
    ("128x128.png", 128),
    ("128x128@2x.png", 256),
    ("icon.png", 512),
]

FILL = (0x22, 0xA0, 0x6B)  # the bar's 示闲 green
RIM = (0x15, 0x6B, 0x47)
HIGHLIGHT = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 4


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width: int, height: int, rows: list) -> bytes:
    """rows: one bytes object of width*4 RGBA bytes per row."""
    # Colour type 6 = RGBA, 8 bits per channel.
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)  # filter type 0 per row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def shade(x: float, y: float, size: int):
    """Colour and coverage (0 or 1) of one sample point, in pixel units."""
    c = size / 2
    r = size * 0.44
    rim = max(1.0, size * 0.05)
    dx, dy = x - c, y - c
    d2 = dx * dx + dy * dy
    if d2 > r * r:
        return (0, 0, 0), 0.0
    if d2 > (r - rim) ** 2:
        return RIM, 1.0
    # A highlight up and to the left makes the dot read as a light, not a flat disc.
    hx, hy, hr = c - r * 0.35, c - r * 0.35, r * 0.28
    if (x - hx) ** 2 + (y - hy) ** 2 < hr * hr:
        return tuple((f + 2 * h) // 3 for f, h in zip(FILL, HIGHLIGHT)), 1.0
    return FILL, 1.0


def draw(size: int) -> bytes:
    n = SUPERSAMPLE
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0.0, 0.0, 0.0]
            cover = 0.0
            for sy in range(n):
                for sx in range(n):
                    col, a = shade(px + (sx + 0.5) / n, py + (sy + 0.5) / n, size)
                    cover += a
                    for i in range(3):
                        acc[i] += col[i] * a
            if cover:
                rgb = [round(v / cover) for v in acc]
                alpha = round(255 * cover / (n * n))
            else:
                rgb, alpha = [0, 0, 0], 0
            row += bytes(rgb + [alpha])
        rows.append(bytes(row))
    return png(size, size, rows)


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    for name, size in SIZES:
        path = os.path.join(here, name)
        with open(path, "wb") as f:
            f.write(draw(size))
        print(f"wrote {path} ({size}x{size} RGBA)")


if __name__ == "__main__":
    main()
