// The search page's script, and the site's only one. It shows the form, loads
// the Pagefind index that plugins/search wrote, and lists matching articles as
// the reader types. The words live in the address (?q=) so that the header
// field, the back button and shared links all work.

const RESULT_LIMIT = 20;
const TYPING_PAUSE_MS = 250;
const BUSY_LIMIT_MS = 3000;

const container = document.querySelector("[data-search]");
const form = container.querySelector(".search__form");
const input = container.querySelector(".search__input");
const status = container.querySelector(".search__status");
const list = container.querySelector(".search__results");

// The site may live in a sub-folder (SITEURL https://host/blog): results and
// the index are addressed from the site's root path, not the host's.
const siteRoot = new URL(container.dataset.siteRoot, window.location.href);
const indexUrl = new URL(container.dataset.indexDir + "pagefind.js", siteRoot);

let pagefind = null;

async function loadIndex() {
  if (!pagefind) {
    pagefind = await import(indexUrl.href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
    // A large site's index comes in parts (plugins/search): merge the others.
    const partsUrl = new URL(container.dataset.indexDir + "parts.json", siteRoot);
    const listed = await fetch(partsUrl).then((response) =>
      response.ok ? response.json() : { parts: [] },
    );
    for (const part of listed.parts) {
      const partUrl = new URL(container.dataset.indexDir + part, siteRoot);
      await pagefind.mergeIndex(partUrl.pathname, { baseUrl: siteRoot.pathname });
    }
  }
  return pagefind;
}

// Pagefind's excerpt is escaped text with <mark> around the matched words.
// Rebuild it from text nodes and <mark> elements only, so nothing else from
// the index can reach the page as markup.
function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(excerpt, "text/html").body;
  return Array.from(parsed.childNodes, (node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search__result";
  const heading = document.createElement("h2");
  heading.className = "search__result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "search__result-excerpt";
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(heading, excerpt);
  return item;
}

// The page's sentences come from the theme's catalogue (search.html), with
// {words}, {count} and {limit} left for this script to fill in.
function sentence(name, values) {
  return container.dataset[name].replace(/\{(\w+)\}/g, (whole, key) =>
    key in values ? String(values[key]) : whole,
  );
}

function describeCount(count, words) {
  if (count === 0) {
    return sentence("textNone", { words });
  }
  const found = sentence(count === 1 ? "textOne" : "textMany", { count, words });
  if (count <= RESULT_LIMIT) {
    return found;
  }
  return `${found} ${sentence("textLimit", { limit: RESULT_LIMIT })}`;
}

async function search(words, { debounce }) {
  const url = new URL(window.location.href);
  if (words) {
    url.searchParams.set("q", words);
  } else {
    url.searchParams.delete("q");
  }
  window.history.replaceState(null, "", url);
  if (!words) {
    status.textContent = "";
    list.replaceChildren();
    return;
  }
  const index = await loadIndex();
  const response = debounce
    ? await index.debouncedSearch(words, {}, TYPING_PAUSE_MS)
    : await index.search(words);
  if (response === null) {
    return; // a later keystroke replaced this search
  }
  const shown = response.results.slice(0, RESULT_LIMIT);
  const results = await Promise.all(shown.map((result) => result.data()));
  list.replaceChildren(...results.map(resultItem));
  status.textContent = describeCount(response.results.length, words);
}

function reportFailure(error) {
  status.textContent = sentence("textUnavailable", {});
  console.warn("Search could not load its index:", error);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  search(input.value.trim(), { debounce: false }).catch(reportFailure);
});
input.addEventListener("input", () => {
  search(input.value.trim(), { debounce: true }).catch(reportFailure);
});

const initialWords = new URLSearchParams(window.location.search).get("q") || "";
input.value = initialWords;
if (initialWords.trim()) {
  // Results of words in the address arrive after the first paint and push the
  // footer down. It is hidden (search.css) until they are drawn, so nothing the
  // reader sees moves; at most BUSY_LIMIT_MS, should the index never answer.
  container.setAttribute("aria-busy", "true");
  // Shown a frame after the results are drawn: a frame painted with the footer
  // hidden in its new place, so that its appearing there is not a shift.
  const settle = () =>
    window.requestAnimationFrame(() =>
      window.requestAnimationFrame(() => container.removeAttribute("aria-busy")),
    );
  const limit = window.setTimeout(settle, BUSY_LIMIT_MS);
  search(initialWords.trim(), { debounce: false })
    .catch(reportFailure)
    .finally(() => {
      window.clearTimeout(limit);
      settle();
    });
} else {
  // Start fetching the index while the reader types.
  loadIndex().catch(reportFailure);
}
