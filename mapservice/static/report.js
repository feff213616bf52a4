/* The property map's state in the page's URL: centre, zoom and visible layers
   (?karta=lat,lon,zoom&lager=a,b). Restored from the URL on load, written back on every move
   or layer change, so the address bar, the "Link to this view" link, the language switch and
   the assumptions form all carry the same view. */
/* A table wider than a narrow screen scrolls in its .scroll box: such a box is a named region
   in the tab order, so it can be scrolled with the keyboard (WCAG 2.1.1). */
(function () {
  "use strict";
  document.querySelectorAll(".scroll").forEach(function (box) {
    if (box.scrollWidth <= box.clientWidth) { return; }
    var caption = box.querySelector("caption");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    if (caption) { box.setAttribute("aria-label", caption.textContent.trim()); }
  });
}());
(function () {
  "use strict";
  var frame = document.getElementById("report-map");
  if (!frame || !window[frame.dataset.map]) { return; }
  var map = window[frame.dataset.map];
  var names = JSON.parse(frame.dataset.layers);
  var layers = {};
  Object.keys(names).forEach(function (key) {
    if (window[names[key]]) { layers[key] = window[names[key]]; }
  });
  var params = new URLSearchParams(window.location.search);

  function restoreView() {
    if (map._animatingZoom) {
      // The map's first fit is still zooming; when that animation ends Leaflet moves to its
      // target, which would undo a view restored now. Restore the view once it has ended.
      map.once("zoomend", restoreView);
      return;
    }
    var view = (params.get("karta") || "").split(",").map(Number);
    if (view.length === 3 && view.every(isFinite)) {
      map.setView([view[0], view[1]], view[2], {animate: false, reset: true});
    }
  }
  function restoreLayers() {
    if (!params.has("lager")) { return; }
    var wanted = params.get("lager").split(",");
    Object.keys(layers).forEach(function (key) {
      var on = wanted.indexOf(key) >= 0;
      if (on && !map.hasLayer(layers[key])) { map.addLayer(layers[key]); }
      if (!on && map.hasLayer(layers[key])) { map.removeLayer(layers[key]); }
    });
  }
  function state() {
    var c = map.getCenter();
    var visible = Object.keys(layers).filter(function (k) { return map.hasLayer(layers[k]); });
    return {karta: [c.lat.toFixed(6), c.lng.toFixed(6), map.getZoom()].join(","),
            lager: visible.join(",")};
  }
  function withState(href) {
    var url = new URL(href, window.location.href);
    var s = state();
    url.searchParams.set("karta", s.karta); url.searchParams.set("lager", s.lager);
    return url.pathname + url.search;
  }
  function save() {
    var here = withState(window.location.href);
    window.history.replaceState(null, "", here);
    var share = document.getElementById("share-link");
    if (share) { share.href = here; }
    document.querySelectorAll("a[hreflang]").forEach(function (a) { a.href = withState(a.href); });
    var form = document.getElementById("assumptions");
    if (form) {
      var s = state();
      ["karta", "lager"].forEach(function (name) {
        var field = form.querySelector("input[name=" + name + "]");
        if (!field) {
          field = document.createElement("input"); field.type = "hidden"; field.name = name;
          form.appendChild(field);
        }
        field.value = s[name];
      });
    }
  }
  // The roof faces table: a face's number focuses that face on the map (its figures show).
  document.querySelectorAll("button.face-link").forEach(function (button) {
    button.addEventListener("click", function () {
      var face = frame.querySelector("path[data-face='" + button.dataset.face + "']");
      if (!face) { return; }
      frame.scrollIntoView({block: "nearest"});
      face.focus();
    });
  });
  // On a narrow screen the open list of layers covers a third of the map: it folds into its
  // button there (a click, a tap or Tab opens it), labelled in the page's language.
  var control = window[frame.dataset.control];
  if (control && window.matchMedia("(max-width: 40em)").matches) {
    control.options.collapsed = true;
    control.remove();
    control.addTo(map);
    var toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle) {
      toggle.title = frame.dataset.controlLabel;
      toggle.setAttribute("aria-label", frame.dataset.controlLabel);
    }
  }
  restoreLayers();  // at once: layers do not depend on the map's animation
  restoreView();
  map.on("moveend zoomend overlayadd overlayremove", save);
  save();
}());
