#!/usr/bin/env python3
"""Regenerates the seed corpus of fuzz_image in tests/fuzz/corpus/.

Uses only Debian tools: ImageMagick 6 (/usr/bin/convert), exiftool, jpegtran, and this
script (python3 without PIL) for the files those tools cannot write: the DNG, the OS/2
BMP, the hand-placed XMP packet and the hostile seeds. Output is deterministic for a given
set of tool versions, so a regeneration shows up in `git diff` only when a tool changed.

    tests/fuzz/make_corpus.py            # (re)writes every generated seed
    tests/fuzz/make_corpus.py --check    # only checks the size budget

Files named crash-* are minimised fuzzer findings added by hand; this script never touches
them. Budget: every file under 40 KB, the whole directory under 600 KB.
"""

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
MAX_FILE = 40 * 1024
MAX_TOTAL = 600 * 1024

# The real ImageMagick, not whatever wrapper may sit earlier on PATH.
CONVERT = "/usr/bin/convert" if os.path.exists("/usr/bin/convert") else "convert"


def run(*args: str) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def convert(*args: str) -> None:
    # -strip drops the date chunks ImageMagick would otherwise stamp into PNGs.
    run(CONVERT, *args)


def exiftool(path: Path, *tags: str) -> None:
    run("exiftool", "-q", "-overwrite_original", *tags, str(path))


# ----------------------------------------------------------------------------------------
# JPEG byte surgery


def jpeg_segments(data: bytes):
    """Yields (offset, marker, length) for each header segment up to SOS."""
    at = 2
    while at + 4 <= len(data):
        assert data[at] == 0xFF, "not at a marker"
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        yield at, marker, length
        if marker == 0xDA:
            return
        at += 2 + length


def with_sof_size(data: bytes, width: int, height: int) -> bytes:
    out = bytearray(data)
    for at, marker, _ in jpeg_segments(data):
        if marker in (0xC0, 0xC1, 0xC2):
            struct.pack_into(">HH", out, at + 5, height, width)
            return bytes(out)
    raise ValueError("no SOF")


def with_app1(data: bytes, payload: bytes) -> bytes:
    """Inserts an APP1 segment right after SOI (and after APP0 JFIF when present)."""
    at = 2
    for seg_at, marker, length in jpeg_segments(data):
        if marker == 0xE0:
            at = seg_at + 2 + length
        break
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:at] + segment + data[at:]


# ----------------------------------------------------------------------------------------
# A tiny DNG, written by hand (Adobe's layout, shrunk): IFD0 is the preview (a baseline JPEG
# in one strip, NewSubfileType=1), SubIFD0 the raw (16-bit uncompressed RGGB CFA).

TIFF_TYPES = {"BYTE": (1, "B"), "ASCII": (2, "s"), "SHORT": (3, "H"), "LONG": (4, "I"), "RATIONAL": (5, "II"),
              "SRATIONAL": (10, "ii")}


class Ifd:
    def __init__(self):
        self.entries = []  # (tag, type, values)

    def add(self, tag: int, kind: str, values):
        if kind == "ASCII":
            values = values.encode() + b"\0"
        elif not isinstance(values, (list, tuple)):
            values = [values]
        self.entries.append((tag, kind, values))


def encode_value(kind: str, values) -> tuple[int, int, bytes]:
    code, fmt = TIFF_TYPES[kind]
    if kind == "ASCII":
        return code, len(values), values
    if kind in ("RATIONAL", "SRATIONAL"):
        raw = b"".join(struct.pack("<" + fmt, *pair) for pair in values)
        return code, len(values), raw
    return code, len(values), struct.pack("<%d%s" % (len(values), fmt), *values)


def layout_ifd(ifd: Ifd, at: int, next_ifd: int) -> tuple[bytes, int]:
    """Serialises `ifd` to start at file offset `at`; values over 4 bytes follow it."""
    entries = sorted(ifd.entries, key=lambda e: e[0])
    table_size = 2 + 12 * len(entries) + 4
    extra = bytearray()
    table = bytearray(struct.pack("<H", len(entries)))
    for tag, kind, values in entries:
        code, count, raw = encode_value(kind, values)
        if len(raw) <= 4:
            table += struct.pack("<HHI", tag, code, count) + raw.ljust(4, b"\0")
        else:
            if (len(extra) + at + table_size) % 2:
                extra += b"\0"
            table += struct.pack("<HHII", tag, code, count, at + table_size + len(extra))
            extra += raw
    table += struct.pack("<I", next_ifd)
    return bytes(table + extra), at + table_size + len(extra)


def make_dng(preview_jpeg: bytes, preview_size: tuple[int, int], orientation: int) -> bytes:
    raw_w, raw_h = 32, 32  # libraw refuses raws under 22 pixels on a side
    rng = random.Random(1)
    raw = b"".join(struct.pack("<H", 1024 + rng.randrange(2048)) for _ in range(raw_w * raw_h))

    # Fixed offsets: header, IFD0 (+ values) at 8, SubIFD at 1024, JPEG at 2048, raw after it.
    sub_at, jpeg_at = 1024, 2048
    raw_at = jpeg_at + len(preview_jpeg) + (len(preview_jpeg) % 2)

    ifd0 = Ifd()
    ifd0.add(254, "LONG", 1)
    ifd0.add(256, "LONG", preview_size[0])
    ifd0.add(257, "LONG", preview_size[1])
    ifd0.add(258, "SHORT", [8, 8, 8])
    ifd0.add(259, "SHORT", 7)  # JPEG
    ifd0.add(262, "SHORT", 6)  # YCbCr
    ifd0.add(271, "ASCII", "Venuekiosk")
    ifd0.add(272, "ASCII", "FuzzCam DNG")
    ifd0.add(273, "LONG", jpeg_at)
    ifd0.add(274, "SHORT", orientation)
    ifd0.add(277, "SHORT", 3)
    ifd0.add(278, "LONG", preview_size[1])
    ifd0.add(279, "LONG", len(preview_jpeg))
    ifd0.add(284, "SHORT", 1)
    ifd0.add(306, "ASCII", "2026:06:14 15:02:11")
    ifd0.add(330, "LONG", sub_at)  # SubIFDs
    ifd0.add(50706, "BYTE", [1, 4, 0, 0])  # DNGVersion
    ifd0.add(50707, "BYTE", [1, 1, 0, 0])  # DNGBackwardVersion
    ifd0.add(50708, "ASCII", "Venuekiosk FuzzCam DNG")
    ifd0.add(50721, "SRATIONAL", [(10000, 10000), (0, 10000), (0, 10000), (0, 10000), (10000, 10000),
                                  (0, 10000), (0, 10000), (0, 10000), (10000, 10000)])  # ColorMatrix1
    ifd0.add(50728, "RATIONAL", [(1, 2), (1, 1), (1, 2)])  # AsShotNeutral
    ifd0.add(50778, "SHORT", 21)  # CalibrationIlluminant1 = D65

    sub = Ifd()
    sub.add(254, "LONG", 0)
    sub.add(256, "LONG", raw_w)
    sub.add(257, "LONG", raw_h)
    sub.add(258, "SHORT", 16)
    sub.add(259, "SHORT", 1)
    sub.add(262, "SHORT", 32803)  # CFA
    sub.add(273, "LONG", raw_at)
    sub.add(277, "SHORT", 1)
    sub.add(278, "LONG", raw_h)
    sub.add(279, "LONG", len(raw))
    sub.add(284, "SHORT", 1)
    sub.add(33421, "SHORT", [2, 2])  # CFARepeatPatternDim
    sub.add(33422, "BYTE", [0, 1, 1, 2])  # CFAPattern RGGB
    sub.add(50710, "BYTE", [0, 1, 2])  # CFAPlaneColor
    sub.add(50711, "SHORT", 1)  # CFALayout
    sub.add(50714, "LONG", 1024)  # BlackLevel
    sub.add(50717, "LONG", 4095)  # WhiteLevel

    ifd0_bytes, ifd0_end = layout_ifd(ifd0, 8, 0)
    sub_bytes, sub_end = layout_ifd(sub, sub_at, 0)
    assert ifd0_end <= sub_at and sub_end <= jpeg_at
    out = bytearray(b"II*\0" + struct.pack("<I", 8))
    out += ifd0_bytes
    out = out.ljust(sub_at, b"\0") + sub_bytes
    out = out.ljust(jpeg_at, b"\0") + preview_jpeg
    out = out.ljust(raw_at, b"\0") + raw
    return bytes(out)


def make_os2_bmp(width: int, height: int) -> bytes:
    """BMP with the 12-byte OS/2 BITMAPCOREHEADER and 24-bit bottom-up rows."""
    stride = (width * 3 + 3) & ~3
    pixels = bytearray()
    for y in range(height):
        row = bytearray()
        for x in range(width):
            row += bytes((x * 255 // width, y * 255 // height, 128))
        pixels += row.ljust(stride, b"\0")
    header = struct.pack("<2sIHHI", b"BM", 14 + 12 + len(pixels), 0, 0, 26)
    core = struct.pack("<IHHHH", 12, width, height, 1, 24)
    return header + core + bytes(pixels)


def flip_bmp_height(data: bytes) -> bytes:
    """Same pixels declared top-down (negative height in BITMAPINFOHEADER)."""
    out = bytearray(data)
    (height,) = struct.unpack_from("<i", out, 22)
    struct.pack_into("<i", out, 22, -abs(height))
    return bytes(out)


# ----------------------------------------------------------------------------------------


def generate(out: Path, tmp: Path) -> None:
    src = tmp / "src.png"
    convert("-seed", "7", "-size", "64x48", "plasma:fractal", "-strip", str(src))
    alpha_src = tmp / "alpha.png"  # RGB plasma with a left-to-right alpha ramp
    convert(str(src), "(", "-size", "48x64", "gradient:white-black", "-rotate", "90", ")",
            "-alpha", "off", "-compose", "CopyOpacity", "-composite", "-strip", str(alpha_src))

    def jpeg(name: str, *opts: str, source: Path = src) -> Path:
        path = out / name
        convert(str(source), "-strip", *opts, str(path))
        return path

    # JPEG: the common encodings.
    baseline = jpeg("jpeg-baseline.jpg", "-quality", "80", "-sampling-factor", "2x2")
    jpeg("jpeg-444.jpg", "-quality", "90", "-sampling-factor", "1x1")
    jpeg("jpeg-422-odd-size.jpg", "-resize", "37x23!", "-quality", "75", "-sampling-factor", "2x1")
    jpeg("jpeg-progressive.jpg", "-quality", "80", "-interlace", "Plane")
    jpeg("jpeg-gray.jpg", "-colorspace", "Gray", "-type", "Grayscale", "-quality", "80")
    jpeg("jpeg-cmyk.jpg", "-colorspace", "CMYK", "-quality", "80")
    run("jpegtran", "-restart", "1", "-outfile", str(out / "jpeg-restart-markers.jpg"), str(baseline))
    run("jpegtran", "-arithmetic", "-outfile", str(out / "jpeg-arithmetic.jpg"), str(baseline))

    # JPEG: metadata as cameras write it.
    exif = jpeg("jpeg-exif-orient6-gps.jpg", "-quality", "75")
    exiftool(exif, "-Orientation#=6", "-Make=Venuekiosk", "-Model=FuzzCam 1",
             "-DateTimeOriginal=2026:06:14 15:02:11", "-GPSLatitude=48.8584", "-GPSLatitudeRef=N",
             "-GPSLongitude=2.2945", "-GPSLongitudeRef=E", "-GPSAltitude=35")
    exif = jpeg("jpeg-exif-orient3-ifd0-rating.jpg", "-quality", "75")
    exiftool(exif, "-Orientation#=3", "-IFD0:Rating=5", "-DateTimeOriginal#=0000:00:00 00:00:00")
    exif = jpeg("jpeg-exif-orient8-xmp-rating.jpg", "-quality", "75")
    exiftool(exif, "-Orientation#=8", "-XMP-xmp:Rating=4", "-Make=Venuekiosk")
    for orientation in (2, 4, 5, 7):  # the mirrored ones, rare from cameras but legal
        exif = jpeg(f"jpeg-exif-orient{orientation}.jpg", "-resize", "24x16!", "-quality", "60")
        exiftool(exif, f"-Orientation#={orientation}")
    # The attribute serialisation of xmp:Rating, as some cameras write it.
    xmp = (b"http://ns.adobe.com/xap/1.0/\0"
           b"<?xpacket begin='\xef\xbb\xbf' id='W5M0MpCehiHzreSzNTczkc9d'?>"
           b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
           b"<rdf:Description rdf:about='' xmlns:xmp='http://ns.adobe.com/xap/1.0/' xmp:Rating=\"3\"/>"
           b"</rdf:RDF></x:xmpmeta><?xpacket end='w'?>")
    (out / "jpeg-xmp-attribute-rating.jpg").write_bytes(with_app1(baseline.read_bytes(), xmp))

    # JPEG: hostile.
    data = baseline.read_bytes()
    (out / "hostile-jpeg-truncated.jpg").write_bytes(data[: len(data) // 2])
    (out / "hostile-jpeg-header-only.jpg").write_bytes(data[: data.index(b"\xff\xda")])
    (out / "hostile-jpeg-claims-60000x60000.jpg").write_bytes(with_sof_size(data, 60000, 60000))
    (out / "hostile-jpeg-claims-4000x3000.jpg").write_bytes(with_sof_size(data, 4000, 3000))
    (out / "hostile-jpeg-exif-bad-offset.jpg").write_bytes(
        with_app1(data, b"Exif\0\0II*\0" + struct.pack("<I", 0x7FFFFFF0) + b"\0" * 16))

    # PNG.
    convert(str(src), "-strip", "PNG24:" + str(out / "png-rgb.png"))
    convert(str(alpha_src), "-strip", "PNG32:" + str(out / "png-rgba.png"))
    convert(str(src), "-strip", "-colors", "16", "PNG8:" + str(out / "png-palette.png"))
    convert(str(src), "-strip", "-depth", "16", "PNG48:" + str(out / "png-rgb16.png"))
    convert(str(src), "-strip", "-colorspace", "Gray", "-depth", "16", "-define", "png:color-type=0",
            str(out / "png-gray16.png"))
    convert(str(alpha_src), "-strip", "-interlace", "PNG", "PNG32:" + str(out / "png-adam7-rgba.png"))
    png = (out / "png-rgb.png").read_bytes()
    huge = bytearray(png)
    struct.pack_into(">II", huge, 16, 60000, 60000)  # IHDR size; the CRC is now wrong too
    (out / "hostile-png-claims-60000x60000.png").write_bytes(bytes(huge))

    # GIF.
    convert(str(src), "-strip", "-colors", "32", str(out / "gif-static.gif"))
    convert("-delay", "10", "-size", "24x16", "xc:red", "(", "-size", "24x16", "xc:none", "-fill", "blue",
            "-draw", "rectangle 4,4 12,12", ")", "-loop", "0", str(out / "gif-anim-transparent.gif"))

    # BMP.
    convert(str(src), "-strip", "BMP3:" + str(out / "bmp-24bit.bmp"))
    convert(str(src), "-strip", "-colors", "16", "-type", "Palette", "-compress", "RLE",
            "BMP3:" + str(out / "bmp-8bit-rle.bmp"))
    convert(str(alpha_src), "-strip", "BMP:" + str(out / "bmp-v5-alpha.bmp"))
    (out / "bmp-os2-core-header.bmp").write_bytes(make_os2_bmp(20, 12))
    small_bmp = tmp / "small.bmp"
    convert(str(src), "-strip", "-resize", "16x12!", "BMP3:" + str(small_bmp))
    (out / "bmp-top-down.bmp").write_bytes(flip_bmp_height(small_bmp.read_bytes()))

    # WebP (ImageMagick's webp delegate).
    convert(str(src), "-strip", "-quality", "60", str(out / "webp-lossy.webp"))
    convert(str(src), "-strip", "-define", "webp:lossless=true", str(out / "webp-lossless.webp"))
    convert(str(alpha_src), "-strip", "-quality", "60", str(out / "webp-vp8x-alpha.webp"))
    for name, fourcc in (("webp-lossy.webp", b"VP8 "), ("webp-lossless.webp", b"VP8L"),
                         ("webp-vp8x-alpha.webp", b"VP8X")):
        got = (out / name).read_bytes()[12:16]
        assert got == fourcc, f"{name}: expected {fourcc!r}, ImageMagick wrote {got!r}"

    # Camera RAW: a real tiny DNG, plus bare container signatures for the other families.
    preview = tmp / "preview.jpg"
    convert(str(src), "-strip", "-quality", "70", "-sampling-factor", "2x2", str(preview))
    (out / "raw-tiny.dng").write_bytes(make_dng(preview.read_bytes(), (64, 48), orientation=1))
    (out / "raw-tiny-orient6.dng").write_bytes(make_dng(preview.read_bytes(), (64, 48), orientation=6))
    (out / "hostile-tiff-truncated.tif").write_bytes(b"II*\0\x08\0\0\0\x0b\0\x00\x01")
    (out / "hostile-cr2-signature.cr2").write_bytes(b"II*\0\x10\0\0\0CR\x02\0" + b"\0" * 20)
    (out / "hostile-raf-signature.raf").write_bytes(b"FUJIFILMCCD-RAW 0201FF383501" + b"\0" * 36)
    (out / "hostile-cr3-signature.cr3").write_bytes(b"\0\0\0\x18ftypcrx \0\0\0\x01crx isom" + b"\0" * 16)

    # GPS in the formats the web server cleans of it (image/strip.h), written by exiftool.
    gps = ("-Model=FuzzCam 1", "-Orientation#=6", "-GPSLatitude=48.8584", "-GPSLatitudeRef=N",
           "-GPSLongitude=2.2945", "-GPSLongitudeRef=E", "-XMP-exif:GPSLatitude=48.8584N")
    for name, opts in (("strip-gps.png", ()), ("strip-gps.webp", ("-quality", "60")),
                       ("strip-gps-big-endian.tif", ("-endian", "MSB", "-compress", "zip"))):
        convert(str(src), "-strip", *opts, str(out / name))
        exiftool(out / name, *gps)
    convert(str(src), "-strip", "-colors", "32", str(out / "strip-gps-xmp.gif"))
    exiftool(out / "strip-gps-xmp.gif", "-XMP-exif:GPSLatitude=48.8584N", "-XMP-exif:GPSLongitude=2.2945E")
    # IFD0's Exif IFD pointer leads back to IFD0.
    (out / "strip-hostile-ifd-cycle.tif").write_bytes(
        b"II*\0\x08\0\0\0\x01\0\x69\x87\x04\0\x01\0\0\0\x08\0\0\0\0\0\0\0")

    # Hostile: no format at all.
    rng = random.Random(20260614)
    (out / "hostile-random.bin").write_bytes(bytes(rng.randrange(256) for _ in range(1024)))


def check_budget() -> bool:
    ok = True
    total = 0
    for path in sorted(CORPUS.iterdir()):
        size = path.stat().st_size
        total += size
        if size > MAX_FILE:
            print(f"{path.name}: {size} bytes is over the {MAX_FILE}-byte budget per file", file=sys.stderr)
            ok = False
    if total > MAX_TOTAL:
        print(f"corpus/: {total} bytes is over the {MAX_TOTAL}-byte budget", file=sys.stderr)
        ok = False
    print(f"corpus/: {len(list(CORPUS.iterdir()))} files, {total} bytes")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check the size budget")
    args = parser.parse_args()
    if not args.check:
        for tool in (CONVERT, "exiftool", "jpegtran"):
            if shutil.which(tool) is None:
                print(f"missing {tool}: apt-get install imagemagick libimage-exiftool-perl libjpeg-turbo-progs",
                      file=sys.stderr)
                return 2
        CORPUS.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            generate(CORPUS, Path(tmp))
    return 0 if check_budget() else 1


if __name__ == "__main__":
    sys.exit(main())
