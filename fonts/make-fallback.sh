#!/bin/sh
# How fonts/Symbola-fallback.ttf was made (run once; the result is committed).
# Symbola 2.60 by George Douros, from Debian's fonts-symbola package, cut down
# to the characters DejaVu Sans lacks (symbols, arrows, dingbats, monochrome
# emoji), without hinting: 1.6 MB instead of 3.2 MB. The PDF renderer embeds
# only the glyphs a portfolio uses (a subset per document).
# Needs: apt-get download fonts-symbola; pip install fonttools.
set -eu
deb=$(ls fonts-symbola_*_all.deb)
dpkg-deb -x "$deb" symbola
src=symbola/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf
python3 - "$src" fonts/DejaVuSans.ttf > keep.txt <<'PY'
import sys
from fontTools.ttLib import TTFont
sym = set(TTFont(sys.argv[1]).getBestCmap())
dejavu = set(TTFont(sys.argv[2]).getBestCmap())
print("\n".join("U+%04X" % c for c in sorted(sym - dejavu)))
PY
pyftsubset "$src" --unicodes-file=keep.txt --no-hinting --layout-features='' \
  --name-IDs='*' --notdef-outline --output-file=fonts/Symbola-fallback.ttf
