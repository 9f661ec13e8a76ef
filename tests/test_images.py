"""Responsive content images and social cards (plugins/images), as readers get them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
import re

from content_schema import ContentError
from images.cards import (
    CARD_SIZE,
    Fonts,
    draw_card,
    fit_title,
    palette_from_tokens,
    wrap,
)
from images.images import ImagesSettingsError, set_defaults
from images.responsive import (
    ImageFileError,
    find_img_tags,
    read_image,
    splice,
    write_variant,
)
from PIL import Image, ImageFont
import pytest

from pelicanconf import IMAGES_SIZES
from tests.support import (
    FIXTURE_CONTENT,
    PUBLISH_SETTINGS,
    PUBLISH_SITEURL,
    ROOT,
    Site,
    build,
    invoke,
    serve,
)

ARTICLE = "first-visit/"
PHOTO = FIXTURE_CONTENT / "images" / "window-light.jpg"  # 1600 x 1000 JPEG
DIAGRAM = FIXTURE_CONTENT / "images" / "breathing-circles.png"  # 720 x 450 PNG
TOKENS = ROOT / "theme" / "static" / "css" / "tokens.css"
FONTS = Fonts(("DejaVuSans-Bold.ttf",), ("DejaVuSans.ttf",))


def srcset(value: str) -> list[tuple[str, int]]:
    """Parse a srcset of width descriptors into (url, width) pairs."""
    pairs = [item.strip().rsplit(" ", 1) for item in value.split(",")]
    return [(url, int(width.removesuffix("w"))) for url, width in pairs]


def output_file(site, url: str) -> Path:
    return site.output / url.removeprefix(PUBLISH_SITEURL).lstrip("/")


def body_images(site, url: str = ARTICLE):
    return site.soup(url).select(".article__body img")


def meta(soup, name: str) -> str | None:
    tag = soup.find("meta", property=name) or soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


# --- content images ---------------------------------------------------------------


def test_content_images_become_pictures_with_webp_first(fixture_site):
    pictures = fixture_site.soup(ARTICLE).select(".article__body picture")
    assert len(pictures) == 2
    for picture in pictures:
        children = [c.name for c in picture.find_all(True, recursive=False)]
        assert children == ["source", "img"]
        source, img = picture.source, picture.img
        assert source["type"] == "image/webp"
        assert source["sizes"] == img["sizes"] == IMAGES_SIZES
        assert all(url.endswith(".webp") for url, _ in srcset(source["srcset"]))
        assert not any(url.endswith(".webp") for url, _ in srcset(img["srcset"]))


def test_every_copy_exists_at_its_stated_width_and_in_its_format(fixture_site):
    checked = 0
    for picture in fixture_site.soup(ARTICLE).select(".article__body picture"):
        img = picture.img
        with Image.open(output_file(fixture_site, img["src"])) as original:
            ratio = original.height / original.width
            original_format = original.format
        for tag, expected_format in ((picture.source, "WEBP"), (img, original_format)):
            for url, width in srcset(tag["srcset"]):
                with Image.open(output_file(fixture_site, url)) as copy:
                    assert copy.format == expected_format, url
                    assert copy.width == width, url
                    assert abs(copy.height - width * ratio) <= 1, url
                checked += 1
    assert checked == 12  # photo: 4 WebP + 4 JPEG; diagram: 2 WebP + 2 PNG


def test_webp_copies_are_real_webp_files(fixture_site):
    copies = sorted((fixture_site.output / "images").glob("*.webp"))
    assert len(copies) == 6
    for copy in copies:
        data = copy.read_bytes()
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", copy.name


def test_copies_are_never_wider_than_the_original(fixture_site):
    img = body_images(fixture_site)[1]  # the 720 px diagram
    assert srcset(img["srcset"]) == [
        ("/images/breathing-circles-480w.png", 480),
        ("/images/breathing-circles.png", 720),
    ]
    assert not list((fixture_site.output / "images").glob("breathing-circles-9*"))
    assert not list((fixture_site.output / "images").glob("breathing-circles-1*"))


def test_width_and_height_are_the_files_own(fixture_site):
    sizes = [(int(i["width"]), int(i["height"])) for i in body_images(fixture_site)]
    with Image.open(PHOTO) as photo, Image.open(DIAGRAM) as diagram:
        assert sizes == [photo.size, diagram.size] == [(1600, 1000), (720, 450)]


def test_first_image_loads_at_once_and_later_ones_lazily(fixture_site):
    first, second = body_images(fixture_site)
    assert "loading" not in first.attrs and "decoding" not in first.attrs
    assert second["loading"] == "lazy"
    assert second["decoding"] == "async"


def test_alt_caption_and_source_are_kept(fixture_site, fixture_publish_site):
    first, second = body_images(fixture_site)
    assert first["alt"] == 'Hills & a "low" sun at dusk'
    assert first["src"] == "/images/window-light.jpg"
    assert second["alt"] == "Three nested teal circles, a breathing guide"
    # Its Markdown title is its figure's caption (plugins/sanitize/prose.py).
    figure = second.find_parent("figure")
    assert figure.figcaption.get_text() == "Breathe in, breathe out"
    published = body_images(fixture_publish_site)[0]
    assert published["src"] == f"{PUBLISH_SITEURL}/images/window-light.jpg"
    assert all(
        url.startswith(f"{PUBLISH_SITEURL}/images/window-light")
        for url, _ in srcset(published["srcset"])
    )


def test_copies_are_the_same_bytes_on_every_build(fixture_site, tmp_path):
    again = build(FIXTURE_CONTENT, tmp_path / "again", DEFAULT_PAGINATION=2)

    def digests(root: Path) -> dict[str, str]:
        folder = root / "images"
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    first = digests(fixture_site.output)
    assert any(name.endswith("-480w.webp") for name in first)
    assert any(name.startswith("social/") for name in first)
    assert digests(again) == first


def test_html_around_images_is_left_as_it_was():
    html = (
        '<p>a &amp; b</p><!-- <img src="{static}/x.jpg"> -->'
        '<pre><code>&lt;img src="x.jpg"&gt;</code></pre>\n'
        '<script>let s = "<img src=y>";</script>'
        '<p><img alt="1 > 0" src="{static}/a.jpg" /></p>\n<IMG SRC=b.png ALT=b>'
    )
    tags = find_img_tags(html)
    assert [t.get("src") for t in tags] == ["{static}/a.jpg", "b.png"]
    assert tags[0].get("alt") == "1 > 0"
    rewritten = splice(html, [(tags[0], "<A>"), (tags[1], "<B>")])
    assert rewritten == (
        '<p>a &amp; b</p><!-- <img src="{static}/x.jpg"> -->'
        '<pre><code>&lt;img src="x.jpg"&gt;</code></pre>\n'
        '<script>let s = "<img src=y>";</script><p><A></p>\n<B>'
    )


def test_images_the_writer_made_responsive_are_not_rewritten():
    html = (
        '<picture><source srcset="a.avif" type="image/avif">'
        '<img src="{static}/a.jpg" alt="a"></picture>'
        '<img src="{static}/b.jpg" srcset="b2.jpg 2x" alt="b">'
    )
    first, second = find_img_tags(html)
    assert first.in_picture
    assert not second.in_picture and second.get("srcset") == "b2.jpg 2x"


def test_copies_are_upright_and_carry_no_camera_metadata(tmp_path):
    photo = Image.new("RGB", (400, 1000), "teal")  # stored sideways
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x010F] = "Camera Maker"
    photo.save(tmp_path / "sideways.jpg", exif=exif.tobytes())
    image = read_image(
        tmp_path / "sideways.jpg", PurePosixPath("images/sideways.jpg"), (480, 960)
    )
    assert (image.width, image.height) == (1000, 400)
    for variant in image.variants:
        write_variant(image, variant, tmp_path / "out", 80)
        with Image.open(tmp_path / "out" / variant.path) as copy:
            assert copy.size == (variant.width, variant.height)
            assert copy.width > copy.height
            assert not copy.getexif(), variant.path


def test_a_file_named_jpg_must_hold_a_jpeg(tmp_path):
    Image.new("RGB", (10, 10)).save(tmp_path / "disguised.jpg", "PNG")
    with pytest.raises(ImageFileError, match="holds a PNG image, not the JPEG"):
        read_image(
            tmp_path / "disguised.jpg", PurePosixPath("images/disguised.jpg"), (480,)
        )


@pytest.mark.parametrize(
    ("setting", "value"),
    [("IMAGES_WIDTHS", ()), ("IMAGES_WIDTHS", (480, "960")), ("IMAGES_QUALITY", 0)],
)
def test_settings_are_checked(setting, value):
    class FakePelican:
        settings = {setting: value}  # noqa: RUF012 - a stand-in, never shared

    with pytest.raises(ImagesSettingsError, match=setting):
        set_defaults(FakePelican())


# --- bad image files --------------------------------------------------------------


def test_missing_image_is_reported_by_the_content_check(scratch_content, tmp_path):
    article = scratch_content / "articles" / "first-visit.md"
    article.write_text(
        article.read_text() + "\n![A missing photo]({static}/images/none.jpg)\n"
    )
    line = len(article.read_text().splitlines())
    with pytest.raises(ContentError) as raised:
        build(scratch_content, tmp_path / "out")
    assert [str(p) for p in raised.value.problems] == [
        f"content/articles/first-visit.md:{line}: image: {{static}}/images/none.jpg: "
        "no such file in content/; check the file's name and folder"
    ]


def test_corrupt_image_fails_the_build_naming_the_file(scratch_content, tmp_path):
    (scratch_content / "images" / "window-light.jpg").write_bytes(b"not a photo")
    with pytest.raises(ContentError) as raised:
        build(scratch_content, tmp_path / "out")
    assert [str(p) for p in raised.value.problems] == [
        "content/images/window-light.jpg: cannot be read as an image (not a format "
        "Pillow knows); export it again from the original, or remove it"
    ]
    assert not (tmp_path / "out" / "first-visit" / "index.html").exists()


def test_truncated_image_fails_the_build_too(scratch_content, tmp_path):
    photo = scratch_content / "images" / "window-light.jpg"
    photo.write_bytes(photo.read_bytes()[:4000])
    with pytest.raises(ContentError) as raised:
        build(scratch_content, tmp_path / "out")
    (problem,) = raised.value.problems
    assert problem.source == "content/images/window-light.jpg"
    assert problem.message.startswith("cannot be read as an image (image file is")


def test_corrupt_image_stops_invoke_build_with_a_plain_message(project_copy):
    (project_copy / "content" / "images" / "breathing-circles.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    )
    result = invoke(project_copy, "build")
    assert result.returncode == 1
    assert "1 content problem to fix:" in result.stderr
    assert "content/images/breathing-circles.png: cannot be read as an image" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout


def test_corrupt_share_image_fails_the_build_too(scratch_content, tmp_path):
    (scratch_content / "images" / "pixel.png").write_bytes(b"GIF89a? no")
    article = scratch_content / "articles" / "older-notes.md"
    article.write_text(
        article.read_text().replace(
            "Category: Mental health\n",
            "Category: Mental health\nImage: {static}/images/pixel.png\n"
            "Image_alt: A teal pixel\n",
        )
    )
    with pytest.raises(ContentError) as raised:
        build(scratch_content, tmp_path / "out")
    assert [str(p) for p in raised.value.problems] == [
        "content/images/pixel.png: cannot be read as an image (not a format Pillow "
        "knows); export it again from the original, or remove it"
    ]


def test_a_content_file_cannot_take_a_copys_name(scratch_content, tmp_path):
    images = scratch_content / "images"
    Image.new("RGB", (4, 4)).save(images / "window-light-480w.webp", format="WEBP")
    with pytest.raises(ContentError) as raised:
        build(scratch_content, tmp_path / "out")
    assert [str(p) for p in raised.value.problems] == [
        "content/images/window-light-480w.webp: has the name of a generated copy of "
        "content/images/window-light.jpg; rename it"
    ]


# --- social cards -----------------------------------------------------------------


def test_article_without_image_is_shared_with_a_generated_card(fixture_publish_site):
    soup = fixture_publish_site.soup(ARTICLE)
    card_url = f"{PUBLISH_SITEURL}/images/social/first-visit.png"
    assert meta(soup, "og:image") == card_url
    assert meta(soup, "og:image:width") == "1200"
    assert meta(soup, "og:image:height") == "630"
    assert meta(soup, "og:image:alt") == "What to Expect at a First Visit"
    assert meta(soup, "twitter:card") == "summary_large_image"
    postings = [
        data
        for script in soup.select('script[type="application/ld+json"]')
        if (data := json.loads(script.string)).get("@type") == "BlogPosting"
    ]
    assert [p["image"] for p in postings] == [card_url]
    with Image.open(output_file(fixture_publish_site, card_url)) as card:
        assert card.format == "PNG"
        assert card.size == CARD_SIZE == (1200, 630)


def test_card_title_is_plain_text_and_every_article_has_one(fixture_publish_site):
    soup = fixture_publish_site.soup("quotes-and-ampersands/")
    assert meta(soup, "og:image:alt") == "“Ketamine” & PTSD: Questions Answered"
    cards = sorted(
        p.name
        for p in (fixture_publish_site.output / "images" / "social").iterdir()
        if not p.name.startswith("site-")  # the site's own card, for other pages
    )
    articles = sorted(
        f"{p.parent.name}.png"
        for p in fixture_publish_site.output.glob("*/index.html")
        if fixture_publish_site.soup(f"{p.parent.name}/").find(
            "meta", property="og:type", content="article"
        )
    )
    assert cards == articles
    assert "first-visit.png" in cards
    assert "unfinished-draft.png" not in cards  # publish builds write no drafts


def test_declared_image_is_shared_instead_of_a_card(scratch_content, tmp_path):
    article = scratch_content / "articles" / "older-notes.md"
    article.write_text(
        article.read_text().replace(
            "Category: Mental health\n",
            "Category: Mental health\nImage: {static}/images/window-light.jpg\n"
            "Image_alt: Green hills at dusk\n",
        )
    )
    site = Site(build(scratch_content, tmp_path / "out", PUBLISH_SETTINGS))
    soup = site.soup("older-notes/")
    assert meta(soup, "og:image") == f"{PUBLISH_SITEURL}/images/window-light.jpg"
    assert meta(soup, "og:image:width") == "1600"
    assert meta(soup, "og:image:height") == "1000"
    assert meta(soup, "og:image:alt") == "Green hills at dusk"
    cards = site.output / "images" / "social"
    assert not (cards / "older-notes.png").exists()
    assert (cards / "first-visit.png").is_file()


def test_card_uses_the_themes_colours(fixture_site):
    palette = palette_from_tokens(TOKENS)
    tokens = TOKENS.read_text()
    assert palette.background == re.search(r"--color-bg: (#\w+)", tokens)[1]
    with Image.open(fixture_site.output / "images" / "social" / "first-visit.png") as c:
        card = c.convert("RGB")
    assert card.getpixel((600, 20)) == hex_rgb(palette.background)
    assert card.getpixel((5, 300)) == hex_rgb(palette.accent)
    colours = {rgb for _count, rgb in card.getcolors(1 << 16)}
    assert hex_rgb(palette.text) in colours


def hex_rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


def test_long_titles_wrap_shrink_and_never_leave_the_card():
    box_width, box_height = 900, 300
    font, lines = fit_title("Short title", FONTS, box_width, box_height)
    assert font.size == 72 and lines == ["Short title"]
    long_title = " ".join(["Ketamine-assisted psychotherapy explained"] * 12)
    font, lines = fit_title(long_title, FONTS, box_width, box_height)
    assert font.size == 40
    assert lines[-1].endswith("…")
    assert len(lines) * font.size * 1.18 <= box_height
    assert all(font.getlength(line) <= box_width for line in lines)


def test_a_word_longer_than_the_line_is_broken():
    font = FONTS.get("bold", 72)
    lines = wrap("Supercalifragilisticexpialidocious" * 3, font, 500)
    assert len(lines) > 1
    assert all(font.getlength(line) <= 500 for line in lines)
    assert "".join(lines) == "Supercalifragilisticexpialidocious" * 3


def test_a_card_is_drawn_even_without_the_preferred_fonts():
    fonts = Fonts(("no-such-font.ttf",), ("no-such-font.ttf",))
    assert isinstance(fonts.get("bold", 40), ImageFont.FreeTypeFont)
    card = draw_card("A title", "A site", palette_from_tokens(TOKENS), fonts)
    assert card.size == CARD_SIZE


# --- in Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def article_url(fixture_site):
    with serve(fixture_site.output) as url:
        yield f"{url}/{ARTICLE}"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("width", "scale", "chosen"),
    [
        (390, 1, "window-light-480w.webp"),  # 358 px column
        (390, 2, "window-light-960w.webp"),
        (1280, 1, "window-light-960w.webp"),  # 744 px column
        (1280, 2, "window-light-1600w.webp"),
    ],
)
def test_browser_downloads_the_copy_the_column_needs(
    browser, article_url, width, scale, chosen
):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=scale
    )
    try:
        page = context.new_page()
        page.goto(article_url, wait_until="load")
        current = page.eval_on_selector(".article__body img", "img => img.currentSrc")
        assert current.rsplit("/", 1)[-1] == chosen
    finally:
        context.close()


@pytest.mark.browser
def test_space_is_kept_for_images_before_they_arrive(browser, article_url):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        # Image requests never answer: the layout can only use width and height.
        page.route(re.compile(r"\.(webp|jpg|png)$"), lambda route: None)
        page.goto(article_url, wait_until="domcontentloaded")
        # DOMContentLoaded does not wait for stylesheets; the layout needs ours.
        page.evaluate(
            """async () => {
                const loaded = () => [...document.styleSheets].some(
                    (sheet) => sheet.href && sheet.href.includes("/theme/css/site."));
                while (!loaded()) await new Promise((done) => setTimeout(done, 20));
            }"""
        )
        boxes = page.eval_on_selector_all(
            ".article__body img",
            "imgs => imgs.map(i => [i.complete, i.getBoundingClientRect().width,"
            " i.getBoundingClientRect().height])",
        )
        assert [complete for complete, _w, _h in boxes] == [False, False]
        # The 358 px column, at each file's own 16:10 ratio.
        assert [(round(w), round(h)) for _c, w, h in boxes] == [(358, 224)] * 2
    finally:
        context.close()
