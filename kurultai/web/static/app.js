// kurultai: what the pages do with JavaScript on. Everything also works without it:
// evidence links reload the page with ?hl=, the upload form posts normally.
"use strict";

// -- a value of the record: highlight its evidence in the document's text, without a reload
function highlight(ranges) {
  const text = document.getElementById("doc-text");
  if (!text) return 0;
  text.querySelectorAll("span.hl").forEach((el) => { el.classList.remove("hl"); el.removeAttribute("id"); });
  const wanted = ranges.trim().split(/\s+/).filter(Boolean).map((r) => r.split("-").map(Number));
  let first = null, count = 0;
  text.querySelectorAll("span[data-s]").forEach((el) => {
    const s = Number(el.dataset.s), e = Number(el.dataset.e);
    if (wanted.some(([a, b]) => a <= s && e <= b)) {
      el.classList.add("hl");
      count += 1;
      if (!first) first = el;
    }
  });
  if (first) {
    first.id = "hl";
    const box = text.getBoundingClientRect(), at = first.getBoundingClientRect();
    text.scrollTop += at.top - box.top - box.height / 3;
    if (at.top < 0 || at.bottom > window.innerHeight) first.scrollIntoView({ block: "center" });
  }
  return count;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-hl]");
  if (!link || !document.getElementById("doc-text")) return;
  event.preventDefault();
  document.querySelectorAll("a.ev.active").forEach((a) => a.classList.remove("active"));
  link.classList.add("active");
  const n = highlight(link.dataset.hl);
  const status = document.getElementById("hl-status");
  if (status) status.textContent = link.textContent + ": " + n;
  history.replaceState(null, "", link.getAttribute("href"));
});

// -- the network: hovering an institution brings out its ties
function focusNode(svg, id) {
  svg.classList.add("focus");
  svg.querySelectorAll(".edge").forEach((edge) => {
    const on = edge.dataset.s === id || edge.dataset.t === id;
    edge.classList.toggle("on", on);
    if (on) {
      svg.querySelector(`.node[data-id="${edge.dataset.s}"]`)?.classList.add("on");
      svg.querySelector(`.node[data-id="${edge.dataset.t}"]`)?.classList.add("on");
    }
  });
  svg.querySelector(`.node[data-id="${id}"]`)?.classList.add("on");
}
function unfocus(svg) {
  svg.classList.remove("focus");
  svg.querySelectorAll(".on").forEach((el) => el.classList.remove("on"));
}
document.querySelectorAll("svg.network").forEach((svg) => {
  svg.querySelectorAll(".node").forEach((node) => {
    node.addEventListener("mouseenter", () => focusNode(svg, node.dataset.id));
    node.addEventListener("focus", () => focusNode(svg, node.dataset.id));
    node.addEventListener("mouseleave", () => unfocus(svg));
    node.addEventListener("blur", () => unfocus(svg));
  });
});

// -- upload: drop files (or a .zip), send them one by one, show each document's status as it is stored
const form = document.getElementById("upload-form");
if (form) {
  const words = JSON.parse(form.dataset.i18n || "{}");
  const maxBytes = Number(form.dataset.max || 0);
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const chosen = document.getElementById("chosen");
  const table = document.getElementById("upload-results");
  const body = table.querySelector("tbody");
  const summary = document.getElementById("upload-summary");
  let queued = [];
  const totals = { new: 0, unchanged: 0, failed: 0 };

  const showChosen = () => { chosen.textContent = queued.map((f) => f.name).join(", "); };
  input.addEventListener("change", () => { queued = Array.from(input.files); showChosen(); });
  ["dragenter", "dragover"].forEach((type) => drop.addEventListener(type, (e) => {
    e.preventDefault(); drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((type) => drop.addEventListener(type, (e) => {
    e.preventDefault(); drop.classList.remove("over");
  }));
  drop.addEventListener("drop", (e) => {
    queued = queued.concat(Array.from(e.dataTransfer.files));
    showChosen();
    send();
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); send(); });

  function row(name) {
    const tr = document.createElement("tr");
    tr.dataset.source = name;
    for (let i = 0; i < 3; i++) tr.appendChild(document.createElement("td"));
    tr.cells[0].textContent = name;
    body.appendChild(tr);
    return tr;
  }
  function setStatus(tr, status, reason) {
    tr.className = "status-" + status;
    tr.cells[1].textContent = words[status] || status;
    tr.cells[2].textContent = reason || "";
  }
  function updateSummary() {
    summary.textContent = (words.summary || "{new} {unchanged} {failed}")
      .replace("{new}", totals.new).replace("{unchanged}", totals.unchanged).replace("{failed}", totals.failed);
  }
  function rowFor(fileRow, line) {
    if (line.source === line.file) return fileRow;
    let tr = body.querySelector(`tr[data-source="${CSS.escape(line.source)}"]`);
    if (!tr) { tr = row(line.source); fileRow.after(tr); }
    return tr;
  }

  function uploadOne(file, tr) {
    return new Promise((resolve) => {
      if (maxBytes && file.size > maxBytes) {
        setStatus(tr, "failed", words.too_large || `> ${Math.round(maxBytes / 1e6)} MB`);
        totals.failed += 1;
        return resolve();
      }
      const bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      tr.cells[1].textContent = words.sending || "…";
      tr.cells[2].replaceChildren(bar);
      const xhr = new XMLHttpRequest();
      let seen = 0;
      const counted = new Map();
      const take = () => {
        const text = xhr.responseText;
        let nl;
        while ((nl = text.indexOf("\n", seen)) >= 0) {
          const raw = text.slice(seen, nl);
          seen = nl + 1;
          if (!raw.trim()) continue;
          let line;
          try { line = JSON.parse(raw); } catch (err) { continue; }
          if (line.done) { if (line.error) setStatus(tr, "failed", line.error); continue; }
          const target = rowFor(tr, line);
          setStatus(target, line.status, line.reason_text || line.reason);
          counted.set(line.source, line.status);
        }
      };
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      });
      xhr.upload.addEventListener("load", () => { bar.removeAttribute("value"); tr.cells[1].textContent = words.processing || "…"; });
      xhr.addEventListener("progress", take);
      xhr.addEventListener("load", () => {
        if (xhr.status === 401) {  // not signed in, or the login expired: sign in and come back
          window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
          return resolve();
        }
        if (xhr.status >= 400) {
          let reason = xhr.statusText;
          try { const body = JSON.parse(xhr.responseText); reason = body.message || body.detail || reason; } catch (err) { /* not JSON */ }
          setStatus(tr, "failed", `${xhr.status}: ${reason}`);
          counted.set(file.name, "failed");
        } else {
          take();
        }
        counted.forEach((status) => { if (status in totals) totals[status] += 1; });
        resolve();
      });
      xhr.addEventListener("error", () => { setStatus(tr, "failed", words.network_error || "network error"); totals.failed += 1; resolve(); });
      const data = new FormData();
      data.append("files", file, file.name);
      xhr.open("POST", "/api/upload?stream=true");
      if (form.elements.csrf) xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf.value);
      xhr.send(data);
    });
  }

  async function send() {
    if (!form.elements.csrf) {  // nobody is signed in: sign in first, then come back here
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
      return;
    }
    const files = queued;
    queued = [];
    input.value = "";
    showChosen();
    if (!files.length) return;
    table.hidden = false;
    const rows = files.map((f) => { const tr = row(f.name); setStatus(tr, "waiting"); tr.className = ""; return tr; });
    for (let i = 0; i < files.length; i++) {
      await uploadOne(files[i], rows[i]);
      updateSummary();
    }
    form.dispatchEvent(new CustomEvent("uploaded", { detail: totals }));
    document.body.dataset.uploaded = "yes";
  }
}

// -- the search's facets: folded on a narrow screen (the results come first), open on a wide one
(() => {
  const facets = document.getElementById("facets");
  if (!facets || !window.matchMedia) return;
  const narrow = window.matchMedia("(max-width: 860px)");
  const fit = () => { facets.open = !narrow.matches; };
  fit();
  narrow.addEventListener("change", fit);
})();
