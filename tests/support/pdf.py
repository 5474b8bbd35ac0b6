"""Text of printed PDFs, comparable with the data's text."""

import functools
import io
import re
import unicodedata

from pypdf import PdfReader

# Text extraction returns some kanji as CJK radicals that NFKC leaves alone.
RADICALS = str.maketrans("⺠⻑⻄⻝⻘⻤⻩⻭⺟⺯⻆⻌", "民長西食青鬼黄歯母耂角辶")


def norm(text: str) -> str:
    """PDF text as comparable text: NFKC (PDF fonts use radical code points) without spaces."""
    text = unicodedata.normalize("NFKC", text).translate(RADICALS)
    return re.sub(r"\s+", "", text).replace("‧", "・").replace("∕", "/")


@functools.cache
def sheets(pdf: bytes) -> list[str]:
    return [norm(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
