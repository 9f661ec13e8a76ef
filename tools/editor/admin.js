/*
 * The browser editor's start-up and its check after each save.
 *
 * Decap CMS waits (CMS_MANUAL_INIT) until the page has loaded; then the
 * configuration generated from the schema (config.json) is read, our
 * `Key: value` format registered (pelican-format.js), and Decap started.
 * After each save the content check runs on the saved file, through the
 * preview's API, and its findings are listed in the #findings panel, worded
 * as `make check` words them: the build decides, the editor only shows.
 */
"use strict";
window.CMS_MANUAL_INIT = true;

/* One tab never overwrites another's save. Every read of the API gives each
   file's version (`file.id`, the sha256 of its bytes), but Decap's proxy
   backend sends none back when it saves. So its requests to the API pass
   through here: the versions read are kept by path, and each file of a save
   of an existing entry names the version it edited (`version`). A file
   changed since, in another tab or program, is then refused (409) and left
   as it is, and Decap shows the API's message. A new entry names none: the
   API refuses it if the file exists. */
const API_PATH = new URL("api/v1", document.baseURI).pathname;
const READS = new Set(["entriesByFolder", "entriesByFiles", "getEntry"]);
const versions = new Map();
const sendRequest = window.fetch.bind(window);

function noteVersions(action, answer) {
  if (READS.has(action)) {
    for (const entry of Array.isArray(answer) ? answer : [answer]) {
      const file = entry && entry.file;
      if (file && file.path) versions.set(file.path, file.id || null);
    }
  } else if (action === "persistEntry" && answer && answer.versions) {
    for (const [path, id] of Object.entries(answer.versions)) versions.set(path, id);
  }
}

window.fetch = async (input, init) => {
  const address = new URL(typeof input === "string" ? input : input.url, document.baseURI);
  if (address.pathname !== API_PATH || !init || typeof init.body !== "string") {
    return sendRequest(input, init);
  }
  const request = JSON.parse(init.body);
  const params = request.params || {};
  if (request.action === "persistEntry" && !(params.options && params.options.newEntry)) {
    for (const file of params.dataFiles || []) {
      const version = versions.get(file.path);
      if (version) file.version = version;
    }
    init = { ...init, body: JSON.stringify(request) };
  }
  const response = await sendRequest(input, init);
  if (response.ok) noteVersions(request.action, await response.clone().json());
  return response;
};

async function api(action, params) {
  const response = await fetch("api/v1", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action, params }),
  });
  return response.json();
}

function listItems(list, lines, kind) {
  for (const line of lines) {
    const item = document.createElement("li");
    item.className = `finding finding-${kind}`;
    item.textContent = line; // writer text: shown as text, never as markup
    list.append(item);
  }
}

async function showFindings(saved) {
  const panel = document.getElementById("findings");
  const title = panel.querySelector(".findings-title");
  const list = panel.querySelector(".findings-list");
  const preview = panel.querySelector(".findings-preview");
  const found = await api("check", saved ? { path: saved } : {});
  const path = found.path || saved;
  list.replaceChildren();
  if (found.error) {
    title.textContent = `Saved ${path}, but it could not be checked: ${found.error}`;
  } else if (found.problems.length) {
    title.textContent = `Saved ${path}. The preview will not update until these are fixed:`;
  } else {
    title.textContent = `Saved ${path}. Content OK: the preview shows it in a moment.`;
  }
  listItems(list, found.problems || [], "problem");
  listItems(list, found.todos || [], "todo");
  listItems(list, found.advice || [], "advice");
  if (found.elsewhere) {
    listItems(list, [`${found.elsewhere} problem(s) in other files also stop the build: run make check.`], "problem");
  }
  preview.hidden = !found.address;
  preview.href = found.address || "/";
  panel.dataset.state = found.problems && found.problems.length ? "problems" : "ok";
  panel.hidden = false;
}

/* Decap says "Publish" for writing the file. Here that publishes nothing (an
   article's Status and the pull request decide), so the buttons say Save. */
function saveNotPublish(CMS) {
  const english = CMS.getLocale("en");
  if (!english) return;
  const { editor, ui } = english;
  CMS.registerLocale("en", {
    ...english,
    editor: {
      ...editor,
      editor: {
        ...editor.editor,
        onPublishing: "Save this file? Its Status field decides whether readers will see it.",
      },
      editorToolbar: {
        ...editor.editorToolbar,
        publish: "Save",
        published: "Saved",
        publishing: "Saving…",
        publishNow: "Save now",
        publishAndCreateNew: "Save and start another",
        publishAndDuplicate: "Save and duplicate",
        deletePublishedEntry: "Delete this file",
      },
    },
    ui: { ...ui, toast: { ...ui.toast, entryPublished: "Saved" } },
  });
}

/* The sources the text may cite, listed afresh each time the panel opens. */
async function listSources() {
  const list = document.querySelector("#sources .sources-list");
  const sources = await api("references", {});
  list.replaceChildren();
  for (const source of Array.isArray(sources) ? sources : []) {
    const item = document.createElement("li");
    const key = document.createElement("code");
    key.textContent = `[@${source.key}]`;
    item.append(key, ` ${source.text}`);
    list.append(item);
  }
  if (!list.children.length) {
    const item = document.createElement("li");
    item.textContent = "No sources yet in content/references.yaml.";
    list.append(item);
  }
}

window.addEventListener("load", async () => {
  const config = await (await fetch("config.json", { cache: "no-store" })).json();
  const CMS = window.CMS;
  saveNotPublish(CMS);
  CMS.registerCustomFormat("pelican", "md", window.PelicanFormat.formatter(config));
  CMS.registerEventListener({
    name: "postSave",
    handler: ({ entry }) => {
      // A new entry has no path yet in Decap's event: the API then checks
      // the file it wrote last.
      showFindings(entry.get("path") || "");
    },
  });
  document.getElementById("sources").addEventListener("toggle", (event) => {
    if (event.target.open) listSources();
  });
  document.querySelector(".findings-close").addEventListener("click", () => {
    document.getElementById("findings").hidden = true;
  });
  CMS.init({ config: { ...config, load_config_file: false } });
});
