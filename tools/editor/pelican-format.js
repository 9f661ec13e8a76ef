/*
 * Pelican's `Key: value` headers for the browser editor, read and written
 * byte for byte (Decap CMS's registerCustomFormat).
 *
 * The header is read as Python-Markdown's meta extension and
 * plugins/content_schema/front_matter.py read it: `Key: value` lines at the
 * top (optionally fenced by `---`), continued by lines indented four spaces,
 * ended by the first other line; keys are case-insensitive. Every line read
 * is kept, with the value it gave, in the entry's `pelican_layout` field. On
 * saving, a field whose value did not change is written with its own lines,
 * as they were; a changed field gets new lines in its place, spelled as
 * before; a new field goes at the end of the header in the form's order; an
 * emptied optional field loses its lines. So a form saved unchanged gives the
 * same bytes, and one changed field changes only its own lines.
 *
 * Loaded as a classic script by tools/editor/index.html (window.PelicanFormat)
 * and with require() by the round-trip tests.
 */
(function (root) {
  "use strict";

  const KEY_LINE = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*?)\s*$/;
  const CONTINUATION_LINE = /^[ ]{4,}(.*?)\s*$/;
  const FENCE = /^-{3}\s*$/;
  const FENCE_END = /^(-{3}|\.{3})\s*$/;
  const LAYOUT = "pelican_layout";
  const BODY = "body";
  const INDENT = "    ";

  /* Which fields hold lists, from the editor's configuration: a list widget
     in a Markdown collection is one item a line; a multiple select or
     relation is comma-separated. */
  function listFields(config) {
    const lines = new Set();
    const commas = new Set();
    for (const collection of config.collections || []) {
      if (collection.format !== "pelican") continue;
      for (const field of collection.fields || []) {
        if (field.widget === "list") lines.add(field.name);
        else if (field.multiple) commas.add(field.name);
      }
    }
    return { lines, commas };
  }

  function valueOf(name, text, lists) {
    if (lists.lines.has(name)) {
      return text.split("\n").map((item) => item.trim()).filter(Boolean);
    }
    if (lists.commas.has(name)) {
      return text.split(/[,\n]/).map((item) => item.trim()).filter(Boolean);
    }
    // Pelican's reader joins a value's lines; so do we, for the form.
    return text.split("\n").join(" ");
  }

  function parse(raw, lists) {
    const lines = raw.split("\n");
    // fence: the opening and closing `---` lines, when the header has them;
    // separator: the empty line between header and body, or null if none.
    const layout = { fence: null, fields: [], separator: null };
    let index = 0;
    if (lines.length && FENCE.test(lines[0])) {
      layout.fence = [lines[0]];
      index = 1;
    }
    let current = null;
    while (index < lines.length) {
      const line = lines[index];
      if (layout.fence && FENCE_END.test(line)) {
        layout.fence.push(line);
        index += 1;
        break;
      }
      const key = KEY_LINE.exec(line);
      const continuation = current ? CONTINUATION_LINE.exec(line) : null;
      if (key) {
        current = { key: key[1], name: key[1].toLowerCase(), lines: [line], text: key[2] };
        layout.fields.push(current);
      } else if (continuation && line.trim()) {
        current.lines.push(line);
        current.text = `${current.text}\n${continuation[1]}`.trim();
      } else {
        break;
      }
      index += 1;
    }
    let rest = lines.slice(index);
    // The empty line that ends the header is the format's, not the body's.
    if (rest.length > 1 && rest[0].trim() === "") {
      layout.separator = rest[0];
      rest = rest.slice(1);
    }
    const data = {};
    for (const field of layout.fields) {
      // A repeated key: the last one wins, as in Pelican (`make check` says so).
      data[field.name] = valueOf(field.name, field.text, lists);
      delete field.text;
    }
    layout.values = Object.fromEntries(layout.fields.map((field) => [field.name, data[field.name]]));
    data[BODY] = rest.join("\n");
    data[LAYOUT] = JSON.stringify(layout);
    return data;
  }

  function isEmpty(value) {
    return (
      value === undefined ||
      value === null ||
      (typeof value === "string" && value.trim() === "") ||
      (Array.isArray(value) && value.length === 0)
    );
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function spell(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function formatField(key, name, value, lists) {
    let items;
    if (Array.isArray(value)) {
      items = lists.lines.has(name) ? value.map(String) : [value.map(String).join(", ")];
    } else {
      items = String(value).split(/\r?\n/);
    }
    items = items.map((item) => item.trim()).filter(Boolean);
    return [`${key}: ${items[0] || ""}`, ...items.slice(1).map((item) => INDENT + item)];
  }

  const NEW_FILE = { fence: null, fields: [], separator: "", values: {} };

  function serialize(data, order, lists) {
    const layout = data[LAYOUT] ? JSON.parse(data[LAYOUT]) : NEW_FILE;
    const header = [];
    const written = new Set([LAYOUT, BODY]);
    for (const field of layout.fields) {
      const value = data[field.name];
      if (same(value, layout.values[field.name])) {
        header.push(...field.lines); // every occurrence, as it was
      } else if (!written.has(field.name) && !isEmpty(value)) {
        header.push(...formatField(field.key, field.name, value, lists));
      }
      written.add(field.name);
    }
    const known = new Set(order);
    const added = [
      ...order.filter((name) => !written.has(name)),
      ...Object.keys(data).filter((name) => !written.has(name) && !known.has(name)),
    ];
    for (const name of added) {
      if (!isEmpty(data[name])) header.push(...formatField(spell(name), name, data[name], lists));
    }
    const body = data[BODY] === undefined || data[BODY] === null ? "" : String(data[BODY]);
    const opening = layout.fence ? [layout.fence[0]] : [];
    const closing = layout.fence ? layout.fence.slice(1) : [];
    const separator = layout.separator === null ? [] : [layout.separator];
    return [...opening, ...header, ...closing, ...separator, body].join("\n");
  }

  /* The formatter Decap CMS registers: fromFile(raw) -> data and
     toFile(data, sortedKeys) -> raw, for the lists of `config`. */
  function formatter(config) {
    const lists = listFields(config);
    return {
      fromFile: (raw) => parse(raw, lists),
      toFile: (data, sortedKeys) => serialize(data, sortedKeys || [], lists),
    };
  }

  const api = { formatter, listFields, parse, serialize, LAYOUT };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.PelicanFormat = api;
})(typeof self !== "undefined" ? self : this);
