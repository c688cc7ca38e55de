// Look up a medical code as you type, on the writing page. Without JavaScript the editor
// types each code line by hand ("icd10cm E11.9 Type 2 diabetes"); with it, a search box
// above the codes offers the codes the library already uses, with their names, and adds the
// one picked as a line. Everything it shows comes from /review/write/codes/ (staff only).
(function () {
  "use strict";
  var codes = document.getElementById("field-codes");
  var lookup = document.getElementById("code-lookup");
  if (!codes || !lookup) { return; }
  var url = lookup.getAttribute("data-url");
  var input = document.createElement("input");
  var list = document.createElement("datalist");
  var label = document.createElement("label");
  var status = document.createElement("p");
  input.type = "search";
  input.id = "code-lookup-input";
  input.setAttribute("list", "code-lookup-options");
  input.setAttribute("autocomplete", "off");
  list.id = "code-lookup-options";
  label.htmlFor = input.id;
  label.textContent = "Look up a code the library uses (type a code or a name)";
  status.className = "hint";
  status.setAttribute("role", "status");
  lookup.append(label, input, list, status);
  lookup.hidden = false;

  var found = {};
  var pending = null;
  input.addEventListener("input", function () {
    var value = input.value;
    if (found[value]) {
      var line = found[value];
      codes.value = codes.value.replace(/\s*$/, "") + (codes.value.trim() ? "\n" : "") + line;
      status.textContent = "Added: " + line;
      input.value = "";
      return;
    }
    if (value.trim().length < 2) { return; }
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          list.replaceChildren();
          found = {};
          body.results.forEach(function (row) {
            var text = row.system + " " + row.code + " — " + row.display;
            found[text] = row.system + " " + row.code + " " + row.display;
            var option = document.createElement("option");
            option.value = text;
            list.append(option);
          });
        })
        .catch(function () { status.textContent = "The look-up is not answering; type the line."; });
    }, 150);
  });
})();
