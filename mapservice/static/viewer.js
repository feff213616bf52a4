/* The layer viewer (/karta): layers from the service's OGC API Features, the solar map tiles,
   attributes of everything under a click, measuring in the local SWEREF 99 zone, the cursor
   position in SWEREF 99 TM and the local zone, and a share link (layers and extent in the
   URL's fragment). Everything comes from the service's own origin. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("viewer-config").textContent);
  var texts = JSON.parse(document.getElementById("viewer-texts").textContent);
  var wgs84 = "EPSG:4326";
  proj4.defs(config.storage.crs, config.storage.proj4);
  proj4.defs(config.zone.crs, config.zone.proj4);
  var toTM = proj4(wgs84, config.storage.crs);
  var toZone = proj4(wgs84, config.zone.crs);

  var map = L.map("viewer-map", {maxZoom: 22, minZoom: 5, doubleClickZoom: false});
  window.minfastighetViewer = {map: map};  /* for notebooks' embeds and the browser tests */
  var byId = {};
  var loaded = {};
  config.layers.forEach(function (layer) { byId[layer.id] = layer; });

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function metres(value) {
    return value.toLocaleString("sv-SE", {maximumFractionDigits: 0});
  }

  /* -- layers ---------------------------------------------------------------------------- */
  function style(layer) {
    return {color: layer.stroke, weight: layer.id === "parcels" ? 1.5 : 1,
            fill: Boolean(layer.fill), fillColor: layer.fill || layer.stroke, fillOpacity: 0.35,
            interactive: false};
  }
  function geoLayer(layer) {
    return L.geoJSON(null, {
      style: function () { return style(layer); },
      pointToLayer: function (_, latlng) {
        return L.circleMarker(latlng, {radius: 4, color: layer.stroke, fillColor: layer.fill,
                                       fillOpacity: 0.9, weight: 1, interactive: false});
      }
    });
  }
  config.layers.forEach(function (layer) { loaded[layer.id] = {leaflet: geoLayer(layer), data: []}; });
  var solar = L.tileLayer(config.solar.tiles, {minZoom: config.solar.minzoom,
                                                maxNativeZoom: config.solar.maxzoom, maxZoom: 22,
                                                opacity: 0.85});

  function checkbox(id) { return document.getElementById("layer-" + id); }
  function visible() {
    return config.layers.filter(function (l) { return checkbox(l.id).checked; });
  }
  var status = document.getElementById("layer-status");

  function load(layer) {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(6);
    }).join(",");
    var url = layer.items + "?f=json&limit=" + config.maxFeatures + "&bbox=" + bbox;
    return fetch(url, {headers: {Accept: "application/geo+json"}}).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (body) {
      var entry = loaded[layer.id];
      entry.data = body.features;
      entry.leaflet.clearLayers();
      entry.leaflet.addData(body);
      return body.numberMatched > body.numberReturned ?
        format(texts.shown, {layer: layer.title, returned: body.numberReturned,
                             matched: body.numberMatched}) : "";
    }).catch(function () { return format(texts.failed, {layer: layer.title}); });
  }
  function refresh() {
    var layers = visible();
    Promise.all(layers.map(load)).then(function (notes) {
      status.textContent = notes.filter(Boolean).join(" ");
    });
    layers.forEach(function (l) { loaded[l.id].leaflet.addTo(map); });
    config.layers.forEach(function (l) {
      if (!checkbox(l.id).checked) { map.removeLayer(loaded[l.id].leaflet); }
    });
    if (document.getElementById("layer-solar").checked) { solar.addTo(map); solar.bringToFront(); }
    else { map.removeLayer(solar); }
    share();
  }
  document.querySelectorAll("input[name=layer]").forEach(function (box) {
    box.addEventListener("change", refresh);
  });

  /* -- attributes under a click ------------------------------------------------------------ */
  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) { inside = !inside; }
    }
    return inside;
  }
  function inPolygon(x, y, rings) {
    if (!inRing(x, y, rings[0])) { return false; }
    for (var k = 1; k < rings.length; k++) { if (inRing(x, y, rings[k])) { return false; } }
    return true;
  }
  function hit(feature, latlng, tolerance) {
    var g = feature.geometry;
    if (!g) { return false; }
    var x = latlng.lng, y = latlng.lat;
    if (g.type === "Polygon") { return inPolygon(x, y, g.coordinates); }
    if (g.type === "MultiPolygon") {
      return g.coordinates.some(function (p) { return inPolygon(x, y, p); });
    }
    if (g.type === "Point") {
      var p = map.latLngToContainerPoint([g.coordinates[1], g.coordinates[0]]);
      return p.distanceTo(map.latLngToContainerPoint(latlng)) <= tolerance;
    }
    return false;
  }
  function table(layer, feature) {
    var section = document.createElement("section");
    var heading = document.createElement("h3");
    heading.textContent = layer.title;
    section.appendChild(heading);
    var t = document.createElement("table");
    Object.keys(feature.properties).forEach(function (key) {
      var row = t.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = key;
      row.appendChild(th);
      var value = feature.properties[key];
      row.insertCell().textContent = value === null ? "–" : String(value);
    });
    section.appendChild(t);
    return section;
  }
  var attributes = document.getElementById("attributes");
  function showAttributes(latlng) {
    attributes.replaceChildren();
    visible().forEach(function (layer) {
      loaded[layer.id].data.forEach(function (feature) {
        if (hit(feature, latlng, 8)) { attributes.appendChild(table(layer, feature)); }
      });
    });
    if (!attributes.children.length) {
      var p = document.createElement("p");
      p.textContent = texts.none;
      attributes.appendChild(p);
    }
  }

  /* -- measuring (in the local zone) ------------------------------------------------------- */
  var measure = {mode: null, points: [], shape: null};
  var measureResult = document.getElementById("measure-result");
  function projected() {
    return measure.points.map(function (ll) { return toZone.forward([ll.lng, ll.lat]); });
  }
  function length(xy, closed) {
    var sum = 0;
    for (var i = 1; i < xy.length; i++) { sum += Math.hypot(xy[i][0] - xy[i - 1][0], xy[i][1] - xy[i - 1][1]); }
    if (closed && xy.length > 2) { sum += Math.hypot(xy[0][0] - xy[xy.length - 1][0], xy[0][1] - xy[xy.length - 1][1]); }
    return sum;
  }
  function area(xy) {
    var s = 0;
    for (var i = 0, j = xy.length - 1; i < xy.length; j = i++) { s += (xy[j][0] + xy[i][0]) * (xy[j][1] - xy[i][1]); }
    return Math.abs(s) / 2;
  }
  function drawMeasure() {
    if (measure.shape) { map.removeLayer(measure.shape); }
    var opts = {color: "#000000", weight: 2, dashArray: "6 4", interactive: false};
    measure.shape = (measure.mode === "area" ? L.polygon(measure.points, opts) :
                     L.polyline(measure.points, opts)).addTo(map);
    var xy = projected();
    if (measure.mode === "area") {
      measureResult.textContent = texts.area + ": " + metres(area(xy)) + " m², " +
        texts.perimeter.toLowerCase() + " " + metres(length(xy, true)) + " m";
    } else {
      measureResult.textContent = texts.distance + ": " + length(xy, false).toLocaleString(
        "sv-SE", {maximumFractionDigits: 1}) + " m";
    }
  }
  function setMode(mode) {
    measure.mode = mode;
    measure.points = [];
    ["distance", "area"].forEach(function (m) {
      document.getElementById("measure-" + m).setAttribute("aria-pressed", String(m === mode));
    });
    document.getElementById("viewer-map").classList.toggle("measuring", Boolean(mode));
  }
  document.getElementById("measure-distance").addEventListener("click", function () { setMode("distance"); });
  document.getElementById("measure-area").addEventListener("click", function () { setMode("area"); });
  document.getElementById("measure-finish").addEventListener("click", function () { setMode(null); });
  document.getElementById("measure-clear").addEventListener("click", function () {
    setMode(null);
    if (measure.shape) { map.removeLayer(measure.shape); measure.shape = null; }
    measureResult.textContent = "";
  });
  map.on("dblclick", function () { if (measure.mode) { setMode(null); } });

  function pick(latlng) {
    if (measure.mode) {
      measure.points.push(latlng);
      drawMeasure();
      return;
    }
    showAttributes(latlng);
  }
  map.on("click", function (e) { pick(e.latlng); });
  /* Keyboard: the arrow keys pan (Leaflet), Enter picks the point under the cross-hair. */
  map.getContainer().addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); pick(map.getCenter()); }
  });

  /* -- coordinates ------------------------------------------------------------------------- */
  function pair(xy) {
    return "N " + metres(xy[1]) + ", E " + metres(xy[0]);
  }
  function showCoordinates(latlng) {
    document.getElementById("coords-tm").textContent = pair(toTM.forward([latlng.lng, latlng.lat]));
    document.getElementById("coords-zone").textContent = pair(toZone.forward([latlng.lng, latlng.lat]));
  }
  map.on("mousemove", function (e) { showCoordinates(e.latlng); });

  /* -- share link -------------------------------------------------------------------------- */
  function share() {
    var c = map.getCenter();
    var on = Array.prototype.filter.call(document.querySelectorAll("input[name=layer]"),
                                         function (b) { return b.checked; })
      .map(function (b) { return b.value; });
    var hash = "#map=" + map.getZoom() + "/" + c.lat.toFixed(6) + "/" + c.lng.toFixed(6) +
      "&layers=" + on.join(",");
    history.replaceState(null, "", hash);
    document.getElementById("share-link").value = location.href;
  }
  document.getElementById("share-copy").addEventListener("click", function () {
    var input = document.getElementById("share-link");
    input.select();
    var done = function () { measureResult.textContent = texts.copied; };
    if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done, done); }
    else { document.execCommand("copy"); done(); }
  });
  function restore() {
    var params = new URLSearchParams(location.hash.slice(1));
    var view = (params.get("map") || "").split("/").map(Number);
    if (params.has("layers")) {
      var on = params.get("layers").split(",");
      document.querySelectorAll("input[name=layer]").forEach(function (b) {
        b.checked = on.indexOf(b.value) >= 0;
      });
    }
    if (view.length === 3 && view.every(isFinite)) {
      map.setView([view[1], view[2]], view[0]);
      return true;
    }
    return false;
  }

  if (!restore()) {
    var e = config.extent;
    map.fitBounds([[e[1], e[0]], [e[3], e[2]]]);
  }
  showCoordinates(map.getCenter());
  map.on("moveend", function () { refresh(); showCoordinates(map.getCenter()); });
  refresh();
})();
