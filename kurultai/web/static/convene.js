// kurultai: the expert dialogue's pages with JavaScript on. Everything also works without it: a tag's
// link jumps to its evidence (which CSS lights up), and the name fields take any name typed.
"use strict";

// -- a tag of a contribution: light up all of its evidence in that contribution's text
document.addEventListener("click", (event) => {
  const chip = event.target.closest("article.contribution a.chip[data-key]");
  if (!chip) return;
  const article = chip.closest("article.contribution");
  event.preventDefault();
  const on = !chip.classList.contains("active");
  article.querySelectorAll("a.chip.active").forEach((a) => a.classList.remove("active"));
  article.querySelectorAll("mark.on").forEach((m) => m.classList.remove("on"));
  if (!on) return;
  chip.classList.add("active");
  const marks = [...article.querySelectorAll(".contribution-text mark")]
    .filter((m) => m.dataset.keys.split(" ").includes(chip.dataset.key));
  marks.forEach((m) => m.classList.add("on"));
  if (marks.length) marks[0].scrollIntoView({ block: "nearest" });
});

// -- names from the knowledge base as one types: institutions, and people where either may be invited
const LISTINGS = { org: ["/api/orgs"], any: ["/api/orgs", "/api/people"] };

function fill(list, rows) {
  list.replaceChildren();
  const seen = new Set();
  for (const row of rows) {
    if (seen.has(row.name)) continue;
    seen.add(row.name);
    const option = document.createElement("option");
    option.value = row.name;
    option.label = row.note;
    list.appendChild(option);
  }
}

async function lookup(input) {
  const q = input.value.trim();
  const list = document.getElementById(input.getAttribute("list"));
  if (!list || q.length < 2) return;
  const rows = [];
  for (const url of LISTINGS[input.dataset.suggest] || []) {
    const r = await fetch(`${url}?name=${encodeURIComponent(q)}`, { headers: { Accept: "application/json" } });
    if (!r.ok) continue;
    const data = await r.json();
    for (const item of data.items.slice(0, 12)) {
      const note = data.kind === "org" ? [item.short, item.country].filter(Boolean).join(" · ")
        : (item.affiliation || "");
      rows.push({ name: item.name, note });
    }
  }
  if (input.value.trim() === q) fill(list, rows);
}

document.querySelectorAll("input[data-suggest][list]").forEach((input) => {
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => lookup(input).catch(() => {}), 200);
  });
});
