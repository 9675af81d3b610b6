// The section page's overlay on the fascicle: an edit button beside each paragraph and table figure the user may
// edit now, a comment button (with the count of open threads) beside every paragraph, table row, heading and
// figure. The body is the same for every user (printed once per revision and language); what differs per user
// arrives as JSON (#section-overlay). Words come from the server; nothing here builds markup from text.
(function () {
  "use strict";

  function button(text, cls, url, target, swap) {
    const made = document.createElement("button");
    made.type = "button";
    made.className = cls;
    made.textContent = text;
    made.setAttribute("hx-get", url);
    made.setAttribute("hx-target", target);
    made.setAttribute("hx-swap", swap);
    return made;
  }

  function query(base, values) {
    return base + "?" + new URLSearchParams(values).toString();
  }

  function place(element, control) {
    // A row's buttons go in its heading cell, a figure's or a table's in its caption (a table without one: before
    // it), a paragraph's in a column of its own; otherwise at the end of the element.
    let where = element;
    if (element.matches("tr")) {
      where = element.querySelector("th") || element;
    } else if (element.matches("figure")) {
      where = element.querySelector("figcaption") || element;
    } else if (element.matches("table")) {
      where = element.querySelector(":scope > caption");
      if (!where) {
        element.insertAdjacentElement("beforebegin", control);
        return;
      }
    } else if (element.matches("p.para")) {
      where = element.querySelector(":scope > .tools");
      if (!where) {
        where = document.createElement("span");
        where.className = "tools";
        element.appendChild(where);
      }
    }
    where.appendChild(control);
  }

  function start() {
    const data = document.getElementById("section-overlay");
    const body = document.getElementById("document");
    if (!data || !body) {
      return;
    }
    const overlay = JSON.parse(data.textContent);
    const editable = new Set(overlay.editable);
    let number = 0;
    for (const element of body.querySelectorAll("[data-source]")) {
      if (!editable.has(element.dataset.source)) {
        continue;
      }
      number += 1;
      element.id = element.id || "para-" + number;
      const url = query(overlay.text_url, {source: element.dataset.source, lang: overlay.lang});
      place(element, button(overlay.labels.edit, "edit-text", url, "#" + element.id, "outerHTML"));
    }
    // A figure of the tables the user may edit: its button brings the figure's form into the cell.
    const cells = new Set(overlay.cells);
    for (const element of body.querySelectorAll("td[data-cell]")) {
      if (!cells.has(element.dataset.cell)) {
        continue;
      }
      const url = query(overlay.cell_url, {source: element.dataset.cell, lang: overlay.lang});
      const control = button(overlay.labels.edit, "edit-cell", url, "this", "outerHTML");
      control.setAttribute("hx-target", "closest td");
      control.setAttribute("hx-swap", "innerHTML");
      element.appendChild(control);
    }
    for (const element of body.querySelectorAll("[data-anchor]")) {
      const open = overlay.counts[element.dataset.anchor] || 0;
      if (!overlay.comment && !open) {
        continue;
      }
      const text = open ? overlay.labels.comment + " (" + open + ")" : overlay.labels.comment;
      const control = button(text, open ? "comment-anchor has-comments" : "comment-anchor",
        query(overlay.thread_url, {anchor: element.dataset.anchor}), "#thread", "innerHTML");
      place(element, control);
    }
    if (window.htmx) {
      window.htmx.process(body);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
