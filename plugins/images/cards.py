"""Social cards: the title of an article and the site's name, drawn as a PNG.

Link previews (Open Graph, X/Twitter) show a large image only when a page names
one; an article without `Image:` gets this card instead. Colours come from
the theme's tokens.css (its light scheme), so the card follows the design.
The title wraps within the card and shrinks to fit; a title too long even
then ends with "…" rather than leave the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

from PIL import Image, ImageColor, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)  # what Open Graph consumers crop least
PADDING = 88  # around the text
BAR_WIDTH = 24  # accent bar along the left edge
TITLE_SIZES = range(72, 39, -4)  # pixels, tried largest first
TITLE_MAX_LINES = 4
LINE_SPACING = 1.18  # times the font size
SITE_NAME_SIZE = 34
ELLIPSIS = "…"
TOKEN = re.compile(r"--(color-[a-z-]+)\s*:\s*(#[0-9a-fA-F]{6})\b")
TOKENS_USED = ("color-bg", "color-text", "color-accent", "color-border")


class ThemeError(Exception):
    """The theme lacks something the card needs (a colour token)."""


@dataclass(frozen=True)
class Palette:
    """The card's colours, as `#rrggbb`."""

    background: str
    text: str
    accent: str
    border: str


def palette_from_tokens(tokens_css: Path) -> Palette:
    """Read the light scheme's colours from tokens.css (the first value of each)."""
    found: dict[str, str] = {}
    for name, value in TOKEN.findall(tokens_css.read_text(encoding="utf-8")):
        found.setdefault(name, value)  # the dark override comes later in the file
    missing = [f"--{name}" for name in TOKENS_USED if name not in found]
    if missing:
        raise ThemeError(f"{tokens_css}: no {', '.join(missing)} colour token")
    return Palette(*(found[name] for name in TOKENS_USED))


class Fonts:
    """TrueType fonts by role and size, loaded once per build.

    Each role lists font file names in order of preference; Pillow looks them
    up in the system's font folders. When none is installed, Pillow's own
    scalable default font is used, so a card is always drawn.
    """

    def __init__(self, bold: tuple[str, ...], regular: tuple[str, ...]) -> None:
        """Remember the candidate file names of each role."""
        self.candidates = {"bold": bold, "regular": regular}
        self.loaded: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def get(self, role: str, size: int) -> ImageFont.FreeTypeFont:
        """Return the first installed font of `role` at `size` pixels."""
        key = (role, size)
        if key not in self.loaded:
            self.loaded[key] = self._load(role, size)
        return self.loaded[key]

    def identity(self) -> str:
        """Name the font files each role draws with (each file's path, size, date).

        Part of a card's cache key: installing another font changes the cards.
        """
        chosen = []
        for role in sorted(self.candidates):
            path = getattr(self.get(role, 40), "path", None)
            if path is None:
                chosen.append(f"{role}=Pillow's default")
                continue
            info = Path(path).stat()
            chosen.append(f"{role}={path}:{info.st_size}:{info.st_mtime_ns}")
        return ";".join(chosen)

    def _load(self, role: str, size: int) -> ImageFont.FreeTypeFont:
        for name in self.candidates[role]:
            try:
                return ImageFont.truetype(name, size)
            except OSError:
                continue
        return ImageFont.load_default(size)  # type: ignore[return-value]


def wrap(text: str, font, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`; split over-long words."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while font.getlength(line) > width:
            cut = len(line) - 1
            while cut > 1 and font.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def _ellipsize(line: str, font, width: float) -> str:
    while line and font.getlength(line + ELLIPSIS) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS


def fit_title(title: str, fonts: Fonts, width: float, height: float):
    """Return (font, lines): the largest size at which `title` fits the box.

    At the smallest size, lines beyond what fits are dropped and the last one
    kept ends with an ellipsis.
    """
    for size in TITLE_SIZES:
        font = fonts.get("bold", size)
        lines = wrap(title, font, width)
        if len(lines) <= TITLE_MAX_LINES and len(lines) * size * LINE_SPACING <= height:
            return font, lines
    room = min(TITLE_MAX_LINES, int(height // (size * LINE_SPACING)))
    return font, [*lines[: room - 1], _ellipsize(lines[room - 1], font, width)]


# The card is stored as palette indices, so its colours are the tokens' exact
# values and the PNG is small without a slow quantizer: 0 is the background,
# then a ramp of anti-aliasing shades from the background to each colour.
BACKGROUND = 0
TEXT_RAMP = range(1, 128)
ACCENT_RAMP = range(128, 255)
BORDER = 255


def _palette_entries(palette: Palette) -> list[int]:
    background = ImageColor.getrgb(palette.background)

    def ramp(colour: str, steps: int) -> list[tuple[int, ...]]:
        target = ImageColor.getrgb(colour)
        return [
            tuple(
                round(b + (t - b) * n / steps)
                for b, t in zip(background, target, strict=True)
            )
            for n in range(1, steps + 1)
        ]

    entries = [
        background,
        *ramp(palette.text, len(TEXT_RAMP)),
        *ramp(palette.accent, len(ACCENT_RAMP)),
        ImageColor.getrgb(palette.border),
    ]
    return [channel for entry in entries for channel in entry]


def _write_text(card: Image.Image, ramp: range, lines, font) -> None:
    """Draw anti-aliased text, given as (x, baseline, text), in one colour ramp."""
    coverage = Image.new("L", card.size, 0)
    draw = ImageDraw.Draw(coverage)
    for x, baseline, text in lines:
        draw.text((x, baseline), text, font=font, fill=255, anchor="ls")
    shades = len(ramp)
    lut = [0] + [ramp.start + (a * shades - 1) // 255 for a in range(1, 256)]
    card.paste(coverage.point(lut), mask=coverage.point(lambda a: 255 if a else 0))


def draw_card(
    title: str, site_name: str, palette: Palette, fonts: Fonts
) -> Image.Image:
    """Draw the card: accent bar, title centred in the upper part, site name below."""
    card_width, card_height = CARD_SIZE
    card = Image.new("L", CARD_SIZE, BACKGROUND)  # palette indices, see above
    card.paste(ACCENT_RAMP[-1], (0, 0, BAR_WIDTH, card_height))
    left = BAR_WIDTH + PADDING
    text_width = card_width - left - PADDING

    name_baseline = card_height - PADDING
    name_font = fonts.get("regular", SITE_NAME_SIZE)
    _write_text(card, ACCENT_RAMP, [(left, name_baseline, site_name)], name_font)
    rule_y = name_baseline - SITE_NAME_SIZE - 28
    card.paste(BORDER, (left, rule_y, left + text_width, rule_y + 3))

    title_box = rule_y - 36 - PADDING
    font, lines = fit_title(title, fonts, text_width, title_box)
    line_height = font.size * LINE_SPACING
    top = PADDING + (title_box - len(lines) * line_height) / 2
    ascent, _descent = font.getmetrics()
    placed = [
        (left, top + number * line_height + ascent, line)
        for number, line in enumerate(lines)
    ]
    _write_text(card, TEXT_RAMP, placed, font)
    card.putpalette(_palette_entries(palette))  # "L" becomes "P": indices to colours
    return card


def save_card(card: Image.Image, target: Path) -> None:
    """Write the card as a PNG (palette-based, about 10-25 KB)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    card.save(target, "PNG")  # optimize=True: 12% smaller, 3x slower
