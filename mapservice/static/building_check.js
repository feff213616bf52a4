// "Kan jag bygga?": drag on the sketch (mouse, pen or touch) to draw a rectangular building;
// on release the form gets its centre and size in SWEREF 99 TM and is sent. The form alone
// works without this script (keyboard, no JavaScript). In the property report the section
// (data-fragment) is checked in place: the form's answer is fetched as the section alone from
// the service and swapped in, and the address bar becomes the share link of the building.
(function () {
  "use strict";

  function bind(section) {
    var svg = section.querySelector("#build-sketch");
    var form = section.querySelector("#build-form");
    if (!svg || !form) { return; }
    var preview = section.querySelector("#build-preview");
    var minx = parseFloat(svg.dataset.minx), maxy = parseFloat(svg.dataset.maxy);
    var start = null;

    function local(event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      return point.matrixTransform(svg.getScreenCTM().inverse());
    }
    function box(a, b) {
      return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y),
               w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
    }
    function round(v) { return Math.round(v * 100) / 100; }
    function set(name, value) { form.elements[name].value = value; }

    svg.addEventListener("pointerdown", function (event) {
      start = local(event);
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    svg.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      var r = box(start, local(event));
      preview.setAttribute("x", r.x);
      preview.setAttribute("y", r.y);
      preview.setAttribute("width", r.w);
      preview.setAttribute("height", r.h);
    });
    svg.addEventListener("pointerup", function (event) {
      if (!start) { return; }
      var r = box(start, local(event));
      start = null;
      if (r.w < 1 || r.h < 1) { return; }  // a click, not a drawn building
      set("bredd", round(r.w));
      set("djup", round(r.h));
      set("x", round(minx + r.x + r.w / 2));
      set("y", round(maxy - r.y - r.h / 2));
      set("vridning", "0");
      set("polygon", "");
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
    if (section.dataset.fragment && window.fetch && window.DOMParser) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        inPlace(section, form);
      });
    }
  }

  function inPlace(section, form) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.value === "") { return; }
      if (field.type === "checkbox" && !field.checked) { return; }
      params.append(field.name, field.value);
    });
    var query = params.toString();
    section.setAttribute("aria-busy", "true");
    fetch(section.dataset.fragment + "?" + query, { headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .getElementById("building-check");
        if (!fresh) { throw new Error("no section"); }
        section.replaceWith(fresh);
        bind(fresh);
        window.history.pushState(null, "", form.action + "?" + query + "#build-heading");
        var verdict = fresh.querySelector("#build-verdict");
        if (verdict) { verdict.setAttribute("tabindex", "-1"); verdict.focus(); }
      })
      .catch(function () {
        form.submit();  // the service's own page says what was wrong
      });
  }

  var section = document.getElementById("building-check");
  if (section) { bind(section); }
}());
