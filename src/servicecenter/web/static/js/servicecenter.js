// Small behaviours of the pages, kept out of the HTML so that the Content-Security-Policy can
// forbid inline scripts. Every page works without this file.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
// A background job that made a file: when its progress bar turns into the download link, the
// download starts by itself (once); the link stays for a second try.
function startDownload() {
  var link = document.querySelector("a[data-autodownload]:not([data-started])");
  if (link) {
    link.setAttribute("data-started", "1");
    link.click();
  }
}
document.addEventListener("htmx:afterSwap", startDownload);
document.addEventListener("DOMContentLoaded", startDownload);
// A finished job's progress answers with HX-Redirect and the browser sets off for the result.
// The page keeps polling until the next page arrives, and every later answer would set off again,
// cancelling the navigation before it (and with it the message the first one carried, "the
// preview is ready"). So once a redirect is under way, no htmx request leaves this page.
(function () {
  var leaving = false;
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Redirect")) { leaving = true; }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (leaving) { event.preventDefault(); }
  });
  window.addEventListener("pageshow", function () { leaving = false; });   // back to this page
})();
// The planner's map (network scenario page): zoom and pan by the SVG's viewBox (wheel, drag, the
// + / − / whole-country buttons), an office clicked (or Enter/Space on it) fills the builder's
// office and offers to close or downgrade it, a place clicked fills the new office's longitude
// and latitude. The map's projection is x = lon × cos 62°, y = −lat (data-projection).
(function () {
  var saved = null;   // the viewBox, kept across the htmx swaps that redraw the map
  function map() { return document.querySelector("svg.plan-map"); }
  function cosLat(svg) { return parseFloat(svg.getAttribute("data-projection").split("*")[1]); }
  function box(svg) { return svg.getAttribute("viewBox").split(/\s+/).map(parseFloat); }
  function setBox(svg, b) { svg.setAttribute("viewBox", b.map(function (v) { return v.toFixed(4); }).join(" ")); saved = b; }
  function toMap(svg, x, y) {
    var point = svg.createSVGPoint(); point.x = x; point.y = y;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoom(svg, factor, cx, cy) {
    var b = box(svg);
    if (cx === undefined) { cx = b[0] + b[2] / 2; cy = b[1] + b[3] / 2; }
    var w = Math.min(Math.max(b[2] * factor, 0.2), 12), h = b[3] * (w / b[2]);
    setBox(svg, [cx - (cx - b[0]) * (w / b[2]), cy - (cy - b[1]) * (h / b[3]), w, h]);
  }
  function info(text, office) {
    var panel = document.querySelector("[data-plan-info]");
    if (!panel) return;
    panel.hidden = false;
    panel.querySelector("[data-plan-text]").textContent = text;
    panel.querySelectorAll("[data-act]").forEach(function (b) { b.hidden = !office; });
  }
  function chooseOffice(el) {
    var select = document.getElementById("office");
    var code = el.getAttribute("data-code"), name = el.getAttribute("data-name");
    var known = select && Array.prototype.some.call(select.options, function (o) { return o.value === code; });
    if (known) { select.value = code; }
    info(name + (known ? "" : " — " + (document.querySelector("[data-plan-info]").getAttribute("data-changed") || "")), known);
  }
  function choosePlace(svg, event) {
    var p = toMap(svg, event.clientX, event.clientY), lon = p.x / cosLat(svg), lat = -p.y;
    var lonInput = document.getElementById("lon-a"), latInput = document.getElementById("lat-a");
    if (!lonInput || !latInput) return;
    lonInput.value = lon.toFixed(4); latInput.value = lat.toFixed(4);
    var marker = svg.querySelector(".plan-new") || svg.appendChild(document.createElementNS("http://www.w3.org/2000/svg", "circle"));
    marker.setAttribute("class", "plan-new"); marker.setAttribute("cx", p.x); marker.setAttribute("cy", p.y); marker.setAttribute("r", box(svg)[2] / 120);
    var panel = document.querySelector("[data-plan-info]");
    info((panel && panel.getAttribute("data-place") || "") + " " + lat.toFixed(3) + " N, " + lon.toFixed(3) + " E", false);
    document.getElementById("name-a").focus();
  }
  var drag = null;
  document.addEventListener("pointerdown", function (event) {
    var svg = event.target.closest && event.target.closest("svg.plan-map");
    if (!svg || event.button !== 0) return;
    drag = {svg: svg, x: event.clientX, y: event.clientY, box: box(svg), moved: false};
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    drag.moved = true;
    var scale = drag.box[2] / drag.svg.getBoundingClientRect().width;
    setBox(drag.svg, [drag.box[0] - dx * scale, drag.box[1] - dy * scale, drag.box[2], drag.box[3]]);
  });
  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    var done = drag; drag = null;
    if (done.moved) return;
    var office = event.target.closest(".office");
    if (office && office.getAttribute("data-href")) { window.location.href = office.getAttribute("data-href"); return; }
    if (office) { chooseOffice(office); } else { choosePlace(done.svg, event); }
  });
  document.addEventListener("keydown", function (event) {
    var office = event.target.closest && event.target.closest("svg.plan-map .office");
    if (office && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      if (office.getAttribute("data-href")) { window.location.href = office.getAttribute("data-href"); } else { chooseOffice(office); }
    }
  });
  document.addEventListener("wheel", function (event) {
    var svg = event.target.closest && event.target.closest("svg.plan-map");
    if (!svg) return;
    event.preventDefault();
    var p = toMap(svg, event.clientX, event.clientY);
    zoom(svg, event.deltaY > 0 ? 1.25 : 0.8, p.x, p.y);
  }, {passive: false});
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-zoom], [data-act]");
    if (!button) return;
    var svg = map();
    if (!svg) return;
    var zoomTo = button.getAttribute("data-zoom"), act = button.getAttribute("data-act");
    if (zoomTo === "in") zoom(svg, 0.67);
    if (zoomTo === "out") zoom(svg, 1.5);
    if (zoomTo === "reset") { saved = null; svg.setAttribute("viewBox", svg.getAttribute("data-home")); }
    if (act) {
      var submit = document.querySelector('form button[name="action"][value="' + act + '"]');
      if (submit) submit.click();
    }
  });
  function restore() {
    var svg = map();
    if (!svg) return;
    if (!svg.getAttribute("data-home")) svg.setAttribute("data-home", svg.getAttribute("viewBox"));
    if (saved) svg.setAttribute("viewBox", saved.join(" "));
  }
  document.addEventListener("htmx:afterSwap", restore);
  document.addEventListener("DOMContentLoaded", restore);
})();
