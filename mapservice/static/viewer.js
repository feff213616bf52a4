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
  var opacity = {solar: 0.8};  /* per layer, 0…1, from the layer list's sliders */
  function style(layer) {
    var o = opacity[layer.id] === undefined ? 1 : opacity[layer.id];
    return {color: layer.stroke, weight: layer.id === "parcels" ? 1.5 : 1, opacity: o,
            fill: Boolean(layer.fill), fillColor: layer.fill || layer.stroke, fillOpacity: 0.35 * o,
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
                                                opacity: opacity.solar});

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
  document.querySelectorAll("input[name=opacity]").forEach(function (range) {
    range.addEventListener("input", function () {
      var id = range.getAttribute("data-layer");
      opacity[id] = Number(range.value) / 100;
      range.setAttribute("aria-valuetext", range.value + " %");
      if (id === "solar") { solar.setOpacity(opacity.solar); return; }
      var layer = byId[id];
      loaded[id].leaflet.setStyle(style(layer));
    });
  });

  /* -- background map: none, the service's own base map, the configured one --------------- */
  var base = null;
  function setBase(id) {
    if (base) { map.removeLayer(base); base = null; }
    config.basemaps.forEach(function (b) {
      if (b.id === id && b.url) {
        base = L.tileLayer(b.url, {maxZoom: 22, maxNativeZoom: 19, attribution: b.attribution});
        base.addTo(map);
        base.bringToBack();
      }
    });
  }
  document.querySelectorAll("input[name=basemap]").forEach(function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) { setBase(radio.value); } });
  });
  L.control.scale({metric: true, imperial: false, maxWidth: 160}).addTo(map);

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
  /* Labelled attributes (the layer's fields, worded by the service), values as text only. */
  var lang = document.documentElement.lang || "sv";
  function number(value) {
    return value.toLocaleString(lang, {maximumFractionDigits: 1});
  }
  function worded(field, value) {
    if (value === null || value === undefined || value === "") { return null; }
    if (Object.prototype.hasOwnProperty.call(field.values, String(value))) {
      return field.values[String(value)];
    }
    var text = typeof value === "number" ? number(value) : String(value);
    if (!field.unit) { return text; }
    return field.unit === "°" ? text + "°" : text + " " + field.unit;
  }
  function reportLink(feature) {
    var id = feature.properties.unit_id;
    if (typeof id !== "string" || !id) { return null; }
    var a = document.createElement("a");
    a.href = config.report.replace("{id}", encodeURIComponent(id));
    a.textContent = texts.report;
    var designation = feature.properties.designation;
    if (designation) {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ": " + String(designation);
      a.appendChild(hidden);
    }
    var p = document.createElement("p");
    p.appendChild(a);
    return p;
  }
  function rows(t, pairs) {
    pairs.forEach(function (pair) {
      var row = t.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = pair[0];
      row.appendChild(th);
      row.insertCell().textContent = pair[1];
    });
    return t;
  }
  function section(title) {
    var s = document.createElement("section");
    var heading = document.createElement("h3");
    heading.textContent = title;
    s.appendChild(heading);
    return s;
  }
  function table(layer, feature) {
    var s = section(layer.title);
    var pairs = [];
    layer.fields.forEach(function (field) {
      var text = worded(field, feature.properties[field.key]);
      if (text !== null) { pairs.push([field.label, text]); }
    });
    s.appendChild(rows(document.createElement("table"), pairs));
    var link = reportLink(feature);
    if (link) { s.appendChild(link); }
    return s;
  }
  var attributes = document.getElementById("attributes");
  var picked = 0;
  /* The solar map's value at the point, from the service's point API; an estimate, with its
     source and date. */
  function solarHere(latlng, token) {
    var url = config.solar.point + "?x=" + latlng.lng.toFixed(7) + "&y=" + latlng.lat.toFixed(7) +
      "&crs=EPSG:4326";
    fetch(url, {headers: {Accept: "application/json"}}).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (body) {
      if (token !== picked) { return; }
      var s = section(texts.solarHere);
      s.className = "solar-here";
      var value = body && typeof body.value === "number" ? body.value : null;
      var pairs = [[texts.solarValue, value === null ? texts.solarNone :
                    number(Math.round(value)) + " " + texts.solarUnit]];
      s.appendChild(rows(document.createElement("table"), pairs));
      var source = document.createElement("p");
      source.className = "hint";
      source.textContent = texts.solarSource + (config.solar.date ? " (" + config.solar.date + ")" : "");
      s.appendChild(source);
      attributes.insertBefore(s, attributes.firstChild);
    }).catch(function () { /* no value: the attributes stand alone */ });
  }
  function showAttributes(latlng) {
    picked += 1;
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
    solarHere(latlng, picked);
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


  /* -- print: the frame that prints, outlined on the map while the print panel is open ---- */
  var printPanel = document.getElementById("print-panel");
  var printFrame = null;
  function outlinePrint() {
    if (printFrame) { map.removeLayer(printFrame); printFrame = null; }
    if (!printPanel.open) { return; }
    var paper = document.getElementById("print-paper").value;
    var orientation = document.getElementById("print-orientation").value;
    var scale = Number(document.getElementById("print-scale").value);
    var mmSize = config.print.frames[paper][orientation];
    var c = map.getCenter();
    var xy = toTM.forward([c.lng, c.lat]);
    var hw = mmSize[0] * scale / 2000, hh = mmSize[1] * scale / 2000;
    var corners = [[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]].map(function (d) {
      var ll = toTM.inverse([xy[0] + d[0], xy[1] + d[1]]);
      return [ll[1], ll[0]];
    });
    printFrame = L.polygon(corners, {color: "#1a237e", weight: 2, dashArray: "10 6", fill: false,
                                     interactive: false}).addTo(map);
  }
  printPanel.addEventListener("toggle", outlinePrint);
  ["print-paper", "print-orientation", "print-scale"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", outlinePrint);
  });
  map.on("moveend", outlinePrint);

  /* -- search: designations and addresses (the search API), plans (OGC API, q) ------------- */
  var searchForm = document.getElementById("viewer-search");
  var searchInput = document.getElementById("viewer-search-q");
  var searchStatus = document.getElementById("viewer-search-status");
  var searchList = document.getElementById("viewer-search-results");
  var highlight = null;
  function getJSON(url) {
    return fetch(url, {headers: {Accept: "application/json"}}).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }
  function zoomTo(geojson, name) {
    if (highlight) { map.removeLayer(highlight); }
    highlight = L.geoJSON(geojson, {
      style: function () { return {color: "#d81b60", weight: 4, dashArray: "8 5", fill: false, interactive: false}; },
      pointToLayer: function (_, ll) { return L.circleMarker(ll, {radius: 10, color: "#d81b60", weight: 4, fill: false, interactive: false}); }
    }).addTo(map);
    map.fitBounds(highlight.getBounds(), {maxZoom: 19, padding: [30, 30]});
    searchStatus.textContent = format(texts.showing, {name: name});
  }
  function collection(id) { return byId[id] ? byId[id].items : null; }
  function pickHit(hit) {
    var url;
    if (hit.kind === "plan") { zoomTo(hit.feature, hit.label); return; }
    if (hit.kind === "address" && hit.address_id && collection("addresses")) {
      url = collection("addresses") + "/" + encodeURIComponent(hit.address_id) + "?f=json";
    } else if (collection("parcels")) {
      url = collection("parcels") + "?f=json&limit=50&unit_id=" + encodeURIComponent(hit.unit_id);
    }
    if (!url) { return; }
    getJSON(url).then(function (body) { if (body) { zoomTo(body, hit.label); } });
  }
  function showHits(hits, query, guessed) {
    searchList.replaceChildren();
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = hit.label + " (" + (texts.kinds[hit.kind] || hit.kind) + ")";
      button.addEventListener("click", function () { pickHit(hit); });
      li.appendChild(button);
      searchList.appendChild(li);
    });
    searchStatus.textContent = hits.length ? format(texts.searchFound, {n: hits.length}) : texts.searchNone;
    if (guessed && hits.length) {  /* the nearest names of a misspelling: the user picks */
      searchStatus.textContent = texts.didYouMean + " " + hits.map(function (h) {
        return h.label; }).join("; ");
      return;
    }
    var wanted = query.toUpperCase();
    var exact = hits.filter(function (hit) {  /* a plan is picked by its id, not its name */
      var label = (hit.match || hit.label).toUpperCase();
      return label === wanted || label.slice(-wanted.length - 1) === " " + wanted ||
        label.indexOf(wanted + ",") === 0;
    });
    if (hits.length === 1) { pickHit(hits[0]); }
    else if (exact.length === 1) { pickHit(exact[0]); }
  }
  searchForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = searchInput.value.trim();
    if (q.length < 2) { showHits([], q); return; }
    searchStatus.textContent = texts.searching;
    /* plans by a part of their id or name: one term (a comma would be "or" to the API) */
    var plans = collection("plans") ? getJSON(collection("plans") + "?f=json&limit=5&q=" +
                                              encodeURIComponent(q.replace(/,/g, " "))) : Promise.resolve(null);
    Promise.all([getJSON(config.search + "?q=" + encodeURIComponent(q) + "&limit=8"), plans])
      .then(function (found) {
        var hits = (found[0] ? found[0].suggestions : []).map(function (s) {
          return {kind: s.kind === "address" ? "address" : "designation", label: String(s.label),
                  unit_id: s.unit_id, address_id: s.address_id};
        });
        (found[1] ? found[1].features : []).forEach(function (f) {
          hits.unshift({kind: "plan", label: String(f.properties.plan_id) + " " + String(f.properties.name || ""),
                        match: String(f.properties.plan_id), feature: f});
        });
        showHits(hits, q, Boolean(found[0] && found[0].did_you_mean));
      }).catch(function () { showHits([], q); });
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
    var xy = toTM.forward([c.lng, c.lat]);
    document.getElementById("print-x").value = xy[0].toFixed(1);
    document.getElementById("print-y").value = xy[1].toFixed(1);
    document.getElementById("print-layers").value = on.join(",");
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
