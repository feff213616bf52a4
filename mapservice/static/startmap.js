/* The start page's map: property boundaries appear from zoom 16, and a click there opens the
   report of the property under the pointer (or says there is none). A click farther out asks
   the person to zoom in (and zooms in on the click): at the overview a click cannot tell a
   house from the street parcel around it. */
(function () {
  "use strict";
  var frame = document.getElementById("start-map");
  if (!frame || !window[frame.dataset.map]) { return; }
  var map = window[frame.dataset.map];
  var status = document.getElementById("map-status");
  var parcels = L.geoJSON(null, {style: {color: "#c51b7d", weight: 1, fill: false}}).addTo(map);
  var seq = 0, pickZoom = Number(frame.dataset.pickZoom);
  function load() {
    if (map.getZoom() < pickZoom) { parcels.clearLayers(); return; }
    var b = map.getBounds(), mine = ++seq;
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(",");
    fetch(frame.dataset.bbox + "?crs=EPSG:4326&limit=2000&bbox=" + bbox)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && mine === seq) { parcels.clearLayers(); parcels.addData(body); }
      });
  }
  map.on("moveend", load);
  load();
  map.on("click", function (e) {
    if (map.getZoom() < pickZoom) {
      status.textContent = frame.dataset.zoomIn;
      map.setView(e.latlng, pickZoom);
      return;
    }
    status.textContent = "";
    var url = frame.dataset.at + "?crs=EPSG:4326&x=" + e.latlng.lng + "&y=" + e.latlng.lat;
    fetch(url).then(function (r) { return r.ok ? r.json() : {features: []}; })
      .then(function (body) {
        if (body.features && body.features.length) {
          window.location.assign(frame.dataset.report.replace("UNIT", body.features[0].id));
        } else {
          status.textContent = frame.dataset.none;
        }
      });
  });
}());
