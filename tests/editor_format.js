/*
 * Runs tools/editor/pelican-format.js for the tests (tests/test_editor_format.py).
 * Reads {config, order, cases: [{raw, edit: {field: value} | null}]} as JSON
 * on stdin; writes, for each case, {data, raw}: the form's data read from
 * `raw`, and the file written back after applying `edit` to that data (none:
 * unchanged). A null `raw` is a new entry, as Decap starts one: no data.
 */
"use strict";
const path = require("path");
const format = require(path.join(__dirname, "..", "tools", "editor", "pelican-format.js"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { config, order = [], cases } = JSON.parse(input);
  const formatter = format.formatter(config);
  const results = cases.map(({ raw, edit }) => {
    const data = raw === null ? {} : formatter.fromFile(raw);
    const shown = { ...data };
    delete shown[format.LAYOUT];
    return { data: shown, raw: formatter.toFile({ ...data, ...(edit || {}) }, order) };
  });
  process.stdout.write(JSON.stringify(results));
});
