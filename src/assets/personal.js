/* mailsite — the reader's own values on every page. Once an address is given (in the box
 * of templates/partials/personal.html or on the your-settings page), every host and user-name
 * marker shows the concrete value for it instead of the placeholder: a marker's data-value
 * is the pattern it shows (`mail.{domain}`), filled in by MailsiteAddress exactly as the
 * engine fills it. The address stays in this browser tab (sessionStorage) and is never sent;
 * what is typed is only ever set as text. Also the helpers your-settings.js shares. */
(function () {
  'use strict';
  var A = window.MailsiteAddress;
  if (!A) return;
  var KEY = 'mailsite.address';
  var FIELDS = ['local', 'domainAscii', 'domainUnicode', 'stemAscii', 'stemUnicode'];

  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  }

  // The stored address (and the plan and variant chosen with it), or null.
  function load() {
    var s = storage();
    if (!s) return null;
    try {
      var v = JSON.parse(s.getItem(KEY));
      var ok = v && FIELDS.every(function (f) { return typeof v[f] === 'string'; });
      return ok ? v : null;
    } catch (e) {
      return null;
    }
  }

  function save(a, plan, variant) {
    var s = storage();
    if (!s) return;
    var v = { plan: plan || '', variant: variant || '' };
    FIELDS.forEach(function (f) { v[f] = a[f]; });
    try {
      s.setItem(KEY, JSON.stringify(v));
    } catch (e) {
      // Storage full or disabled: the values still show on this page.
    }
  }

  function forget() {
    var s = storage();
    if (s) s.removeItem(KEY);
  }

  // `getRules` for MailsiteAddress.parse: the public-suffix group files under `base`, each
  // fetched once. A group the build did not write has no rules.
  function rulesFrom(base) {
    var groups = {};
    return function (group, tld) {
      if (!groups[group]) {
        groups[group] = fetch(base + encodeURIComponent(group) + '.json').then(function (r) {
          if (r.status === 404) return {};
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        });
      }
      return groups[group].then(function (g) {
        return Object.prototype.hasOwnProperty.call(g, tld) ? g[tld] : [];
      });
    };
  }

  // A value for people: Unicode, with the ASCII form a mail app may need beside it.
  function display(pattern, a) {
    var uni = A.fill(pattern, a, 'unicode'), ascii = A.fill(pattern, a, 'ascii');
    return uni === ascii ? ascii : uni + ' (' + ascii + ')';
  }

  // The message for a failed parse (from partials/address-errors.html inside `scope`),
  // shown in `target` as text.
  function showError(target, scope, result) {
    var item = scope.querySelector('[data-address-errors] [data-error="' + result.error + '"]');
    var text = item ? item.textContent : result.error;
    target.textContent = text.split('{char}').join(result.detail).split('{domain}').join(result.detail);
    target.hidden = false;
  }

  window.MailsitePersonal = {
    load: load,
    save: save,
    forget: forget,
    rulesFrom: rulesFrom,
    display: display,
    showError: showError
  };

  var box = document.querySelector('[data-personal]');
  if (!box) return;
  var form = box.querySelector('[data-personal-form]');
  var input = form.querySelector('input');
  var error = box.querySelector('[data-personal-error]');
  var status = box.querySelector('[data-personal-status]');
  var getRules = rulesFrom(box.getAttribute('data-suffixes'));
  var originals = new Map();

  // The messages about an address that cannot be read live on the your-settings page (the
  // box's link); fetched once, when first needed, and parsed, never inserted: showError
  // takes only the text of one item.
  var messagesPage = null;
  function messages() {
    if (!messagesPage) {
      var href = box.querySelector('.personal-link a').href;
      messagesPage = fetch(href, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      }).then(function (text) {
        var doc = new DOMParser().parseFromString(text, 'text/html');
        if (!doc.querySelector('[data-address-errors]')) throw new Error('no messages');
        return doc;
      });
      messagesPage.catch(function () { messagesPage = null; });
    }
    return messagesPage;
  }

  function personalize(a) {
    // The values (markers) and the other names a host may be (data-pattern).
    var marked = document.querySelectorAll(
      '[data-setting="host"], [data-setting="username"], [data-pattern]');
    Array.prototype.forEach.call(marked, function (el) {
      var pattern = el.getAttribute('data-pattern') || el.getAttribute('data-value') || '';
      if (pattern.indexOf('{') < 0 || box.contains(el)) return;
      if (!originals.has(el)) originals.set(el, el.textContent);
      el.textContent = display(pattern, a);
      el.classList.add('personal-value');
    });
  }

  function restore() {
    originals.forEach(function (text, el) {
      el.textContent = text;
      el.classList.remove('personal-value');
    });
    originals.clear();
  }

  function showing(a) {
    status.querySelector('[data-slot="address"]').textContent = A.unicode(a);
    status.hidden = false;
    box.querySelector('.personal-link').hidden = true;
    form.hidden = true;
    error.hidden = true;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    A.parse(input.value, getRules).then(function (result) {
      if (!result.ok) {
        input.setAttribute('aria-invalid', 'true');
        messages().then(function (doc) {
          showError(error, doc, result);
        }, function () {
          showError(error, box, { error: 'unavailable', detail: '' });
        });
        return;
      }
      var before = load();
      save(result.address, before && before.plan, before && before.variant);
      personalize(result.address);
      showing(result.address);
    }, function () {
      showError(error, box, { error: 'unavailable', detail: '' });
    });
  });

  box.querySelector('[data-personal-clear]').addEventListener('click', function () {
    forget();
    restore();
    status.hidden = true;
    form.hidden = false;
    input.value = '';
    input.focus();
  });

  // The box stays one line until asked: the link opens the form here (without JavaScript
  // it leads to the your-settings page).
  var link = box.querySelector('.personal-link');
  link.querySelector('a').addEventListener('click', function (event) {
    event.preventDefault();
    link.hidden = true;
    form.hidden = false;
    input.focus();
  });

  var stored = load();
  if (stored) {
    personalize(stored);
    showing(stored);
  }
})();
