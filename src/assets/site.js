// mailsite: every page. Copy buttons beside the values a customer types, a section opened
// when an address points into it (and every section opened for printing), settings tables
// that scroll sideways made reachable by keyboard. Only DOM calls and textContent: no text
// is ever parsed as HTML. Without this script the values stay selectable text.
(function () {
  "use strict";
  var body = document.body;
  if (!body) return;
  // The settings a customer types into a mail app (security and auth are chosen, not typed).
  var TYPED = { host: true, port: true, username: true };
  var buttons = new Map();
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  body.appendChild(live);

  function word(name, fallback) {
    return body.getAttribute("data-" + name) || fallback;
  }

  // A value is concrete when its data-value names no placeholder ({domain}, {address}).
  function concrete(marker) {
    var v = marker.getAttribute("data-value");
    return !!v && v.indexOf("{") < 0;
  }

  function valueOf(marker) {
    return marker.textContent.trim();
  }

  function refresh(marker) {
    var button = buttons.get(marker);
    if (!button) return;
    button.hidden = !concrete(marker);
    button.setAttribute("aria-label", word("copy", "Copy") + " " + valueOf(marker));
  }

  function select(marker) {
    var range = document.createRange();
    range.selectNodeContents(marker);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // Without the asynchronous clipboard (plain http), the older copy command.
  function copyByCommand(value) {
    var area = document.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.className = "copy-scratch";
    body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  function feedback(button, text) {
    button.textContent = text;
    button.classList.add("copied");
    live.textContent = text;
    clearTimeout(button.copyTimer);
    button.copyTimer = setTimeout(function () {
      button.textContent = word("copy", "Copy");
      button.classList.remove("copied");
    }, 2000);
  }

  function copy(marker, button) {
    var value = valueOf(marker);
    var done = function () { feedback(button, word("copied", "Copied")); };
    var failed = function () {
      select(marker);
      feedback(button, word("copy-failed", "Select the value and copy it."));
    };
    var fallback = function () { if (copyByCommand(value)) done(); else failed(); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(done, fallback);
    } else {
      fallback();
    }
  }

  function addButton(marker) {
    if (buttons.has(marker) || !TYPED[marker.getAttribute("data-setting")]) return;
    // Not inside the drawings of a mail app's screen, nor inside a control.
    if (marker.closest(".client-form, button, a, summary")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = word("copy", "Copy");
    button.addEventListener("click", function () { copy(marker, button); });
    // After the value's <code> when the value is all of it, so the button is not code.
    var parent = marker.parentElement;
    var after = parent && parent.tagName === "CODE" && parent.textContent.trim() === valueOf(marker) ? parent : marker;
    after.after(button);
    buttons.set(marker, button);
    refresh(marker);
  }

  function scan(root) {
    if (root.matches && root.matches("[data-setting]")) addButton(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-setting]").forEach(addButton);
  }

  // Values shown later (a page that fills in the customer's own settings) get buttons too.
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === "attributes" || r.type === "characterData") {
        var el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        var marker = el && el.closest("[data-setting]");
        if (marker) refresh(marker);
      } else {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType === 1) scan(n);
          else if (n.parentElement && n.parentElement.closest("[data-setting]")) refresh(n.parentElement.closest("[data-setting]"));
        });
      }
    });
  }).observe(body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-value"] });

  // A link to a section inside a closed <details> opens it.
  function openTarget() {
    var id = location.hash.slice(1);
    if (!id) return;
    try { id = decodeURIComponent(id); } catch (e) { return; }
    var target = document.getElementById(id);
    for (var d = target && target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      d.open = true;
    }
  }

  // Printing shows every section; afterwards the closed ones close again.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // A table wider than the screen scrolls inside its box: the box becomes a named,
  // focusable region so a keyboard can scroll it too.
  function regions() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var caption = box.querySelector("caption");
      if (box.scrollWidth > box.clientWidth + 1 && caption) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption.textContent.trim());
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; regions(); });
  });

  scan(body);
  openTarget();
  regions();
  window.addEventListener("hashchange", openTarget);
})();
