"""Readers' navigation: breadcrumbs, contents, reading time, related, pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from navigation.navigation import reading_minutes, related_articles, table_of_contents

from tests.support import text


@dataclass(eq=False)
class Story:
    """Just what related_articles reads of an article."""

    name: str
    category: str
    tags: tuple = field(default_factory=tuple)


def test_related_prefers_shared_tags_then_category_then_recency():
    a = Story("a", "x", ("t1", "t2"))
    b = Story("b", "y", ("t1", "t2"))  # two shared tags
    c = Story("c", "x", ("t1",))  # one shared tag, same category
    d = Story("d", "y", ("t2",))  # one shared tag, other category
    e = Story("e", "x", ())  # same category only
    f = Story("f", "z", ())  # nothing in common
    # f, a's older neighbour, shares nothing: the ranking alone decides.
    related = related_articles([a, f, b, c, d, e], count=4, per_tag=50)
    assert [s.name for s in related[id(a)]] == ["b", "c", "d", "e"]
    assert [s.name for s in related[id(f)]] == []


def test_related_leaves_out_the_newer_and_older_neighbours():
    # Newest first, as Pelican sorts: b is newer than c, d older; all alike.
    stories = [Story(name, "x", ("t",)) for name in ("a", "b", "c", "d", "e")]
    a, _b, c, _d, e = stories
    related = related_articles(stories, count=2, per_tag=50)
    # Older and Newer already link b and d from c; the next best fill in.
    assert [s.name for s in related[id(c)]] == ["a", "e"]
    assert [s.name for s in related[id(a)]] == ["c", "d"]
    assert [s.name for s in related[id(e)]] == ["a", "b"]


def test_related_looks_at_a_bounded_number_of_articles_per_tag():
    stories = [Story(f"s{n}", "x", ("common",)) for n in range(1000)]
    related = related_articles(stories, count=3, per_tag=5)
    # Only the five newest articles with the tag (and of the category) compete.
    assert {s.name for s in related[id(stories[999])]} <= {f"s{n}" for n in range(5)}
    assert len(related[id(stories[0])]) == 3


def test_table_of_contents_needs_three_sections():
    two = '<h2 id="a">A</h2><p>x</p><h2 id="b">B <span class="caps">PTSD</span></h2>'
    assert table_of_contents(two, 3) == ()
    three = two + '<h2 id="c">C&nbsp;end</h2>'
    assert table_of_contents(three, 3) == (("a", "A"), ("b", "B PTSD"), ("c", "C end"))


def test_reading_time_rounds_up_and_is_at_least_a_minute():
    assert reading_minutes("<p>" + "word " * 201 + "</p>", 200) == 2
    assert reading_minutes("<p>short</p>", 200) == 1


def test_article_has_breadcrumbs_reading_time_and_contents(seed_site):
    soup = seed_site.soup("ketamine-for-ptsd/")
    crumbs = [text(li) for li in soup.select("nav.breadcrumbs li")]
    assert crumbs == [
        "Home",
        "Mental health",
        "Ketamine as Treatment for Post-Traumatic Stress Disorder (PTSD)",
    ]
    assert soup.select_one("nav.breadcrumbs li[aria-current=page]")
    assert "6 min read" in text(soup.select_one(".article-meta"))
    toc = [(a["href"], text(a)) for a in soup.select("nav.toc a")]
    assert len(toc) == 5
    for href, _title in toc:
        assert soup.find(id=href[1:]).name == "h2"


def test_short_article_has_no_contents(fixture_site):
    assert fixture_site.soup("older-notes/").select_one("nav.toc") is None


def test_related_and_neighbour_links(fixture_site):
    soup = fixture_site.soup("first-visit/")
    related = [a["href"] for a in soup.select("nav.related a")]
    neighbours = {a["rel"][0]: a["href"] for a in soup.select("nav.neighbours a")}
    assert neighbours == {
        "prev": "/quotes-and-ampersands/",
        "next": "/asking-for-a-second-opinion/",
    }
    # The second opinion shares "first visit", but Older links it already.
    assert related
    assert not set(related) & {*neighbours.values(), "/first-visit/"}


def test_pagination_numbers_every_page(fixture_site):
    nav = fixture_site.soup("page/2/").select_one("nav.pagination")
    links = [(text(a), a["href"]) for a in nav.find_all("a")]
    assert links == [
        ("Newer articles", "/"),
        ("Page 1", "/"),
        ("Page 3", "/page/3/"),
        ("Older articles", "/page/3/"),
    ]
    assert text(nav.select_one("[aria-current=page]")) == "Page 2"
