/* Suggestions as you type for the search field: an ARIA 1.2 combobox with a listbox.
   Debounced requests to /api/v1/search; arrow keys move through the suggestions, Enter opens
   the chosen property, Escape closes the list; the number of suggestions is announced.
   Without JavaScript the field is a plain form that lands on the results page. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var status = document.getElementById("q-status");
  var nearest = document.getElementById("q-nearest");  // "did you mean": nothing starts so
  var timer = null, active = -1, items = [], seq = 0;

  function announce(n) {
    var text = n === 0 ? status.dataset.none : n === 1 ? status.dataset.one
      : status.dataset.many.replace("N", String(n));
    status.textContent = text;
  }
  function close() {
    nearest.hidden = true;
    list.hidden = true; list.innerHTML = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function pageOf(item) {
    return input.dataset.report.replace("UNIT", encodeURIComponent(item.unit_id));
  }
  function go(item) { window.location.assign(pageOf(item)); }
  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === index)); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function show(suggestions, near) {
    list.innerHTML = ""; items = suggestions; active = -1;
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "q-option-" + i; li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = s.kind === "address" ? s.label + " (" + s.designation + ")" : s.label;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(s); });
      list.appendChild(li);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute("aria-expanded", String(suggestions.length > 0));
    announce(suggestions.length);
    nearest.hidden = !(near && suggestions.length);
    if (!nearest.hidden) { status.textContent = nearest.textContent + " " + status.textContent; }
  }
  function fetchSuggestions() {
    var text = input.value.trim();
    if (text.length < 2) { close(); status.textContent = ""; return; }
    var mine = ++seq;
    var url = input.dataset.api + "?q=" + encodeURIComponent(text);
    fetch(url, {headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
      .then(function (body) { if (mine === seq) { show(body.suggestions || [], body.did_you_mean); } })
      .catch(function () { if (mine === seq) { close(); } });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 200);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      if (items.length) { highlight((active + 1) % items.length); }
      e.preventDefault();
    } else if (e.key === "ArrowUp") {
      if (items.length) { highlight(active <= 0 ? items.length - 1 : active - 1); }
      e.preventDefault();
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault(); go(items[active]);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
}());
