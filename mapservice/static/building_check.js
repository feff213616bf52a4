// "Kan jag bygga?": drag on the sketch (mouse, pen or touch) to draw a rectangular building;
// on release the form gets its centre and size in SWEREF 99 TM and is sent. The form alone
// works without this script (keyboard, no JavaScript).
(function () {
  "use strict";
  var svg = document.getElementById("build-sketch");
  var form = document.getElementById("build-form");
  if (!svg || !form) { return; }
  var preview = document.getElementById("build-preview");
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
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
}());
