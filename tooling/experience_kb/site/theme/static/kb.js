/* The site's enhancements. Everything works without them: tables read unsorted, search says
   where to browse instead. */
(function () {
  "use strict";

  function sortKey(cell) {
    var time = cell.querySelector("time[datetime]");
    return time ? time.getAttribute("datetime") : cell.textContent.trim();
  }

  function makeSortable(table) {
    var head = table.tHead, body = table.tBodies[0];
    if (!head || !body) { return; }
    var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
    Array.prototype.forEach.call(head.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = collator.compare(sortKey(a.cells[column]), sortKey(b.cells[column]));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function startSearch(box) {
    var fallback = box.querySelector(".kb-search-fallback");
    if (location.protocol === "file:") {  /* browsers block Pagefind's files here */
      box.querySelector(".kb-search-offline").hidden = false;
      if (fallback) { fallback.hidden = true; }
      return;
    }
    if (typeof window.PagefindUI !== "function") { return; }
    if (fallback) { fallback.hidden = true; }
    var mount = document.createElement("div");
    mount.id = "kb-search-ui";
    box.appendChild(mount);
    var ui = new window.PagefindUI({ element: "#kb-search-ui", showImages: false, showSubResults: true, resetStyles: false, autofocus: !new URLSearchParams(location.search).get("q") });
    var query = new URLSearchParams(location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("table.kb-sortable"), makeSortable);
    var box = document.getElementById("kb-search");
    if (box) { startSearch(box); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
