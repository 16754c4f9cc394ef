/* mailsite — the your-settings page: the reader's address, plan and variant → the values to
 * enter, resolved in this browser from the settings export (/api/settings.json) by
 * MailsiteAddress, laid out by the page's <template>s. Nothing is sent anywhere; the address
 * comes from the form, the URL fragment (#address=…&plan=…&variant=…, which never reaches a
 * server) or this tab's storage, and is only ever set as text. */
(function () {
  'use strict';
  var A = window.MailsiteAddress, P = window.MailsiteProfile, S = window.MailsitePersonal;
  var form = document.getElementById('your-settings');
  if (!form || !A || !P || !S || !window.fetch) return;
  var lang = document.documentElement.lang;
  var input = form.elements.address, planSelect = form.elements.plan;
  var variantSelect = form.elements.variant;
  var error = document.getElementById('ys-error');
  var notOffered = document.getElementById('ys-not-offered');
  var results = document.getElementById('ys-results');
  var getRules = S.rulesFrom(form.getAttribute('data-suffixes'));
  var exported = fetch(form.getAttribute('data-export')).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  });

  function slot(root, name) {
    return root.querySelector('[data-slot="' + name + '"]');
  }

  function byId(list, id) {
    return list.filter(function (x) { return x.id === id; })[0];
  }

  // A value wearing its marker, as the engine's setting() writes them; `setting` is null for
  // a protocol name (marked by data-protocol alone).
  function marker(setting, where, e, value, text) {
    var span = document.createElement('span');
    span.className = setting ? 'setting' : 'protocol';
    if (setting) span.setAttribute('data-setting', setting);
    span.setAttribute('data-plan', where.plan);
    span.setAttribute('data-variant', where.variant);
    span.setAttribute('data-direction', where.direction);
    span.setAttribute('data-protocol', e.protocol);
    span.setAttribute('data-port', e.port_id);
    if (setting) span.setAttribute('data-value', value);
    span.textContent = text;
    return span;
  }

  function label(data, setting, value) {
    var l = data.labels[setting] && data.labels[setting][value];
    return l ? l[lang] : value;
  }

  function endpoints(data, target, list, where) {
    var tpl = document.getElementById('ys-endpoint');
    list.forEach(function (e) {
      var card = tpl.content.cloneNode(true);
      if (e.recommended) card.firstElementChild.classList.add('recommended');
      slot(card, 'protocol').appendChild(marker(null, where, e, '', label(data, 'protocol', e.protocol)));
      slot(card, 'recommended').hidden = !(e.recommended && list.length > 1);
      slot(card, 'port').appendChild(marker('port', where, e, String(e.port), String(e.port)));
      slot(card, 'security').appendChild(
        marker('security', where, e, e.security, label(data, 'security', e.security)));
      slot(card, 'auth').appendChild(marker('auth', where, e, e.auth, label(data, 'auth', e.auth)));
      target.appendChild(card);
    });
  }

  function download(data, variant, a) {
    var p = P.build(data, variant, a, lang);
    var url = URL.createObjectURL(new Blob([p.xml], { type: 'application/x-apple-aspen-config' }));
    var link = document.createElement('a');
    link.href = url;
    link.download = p.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function hostFacts(card, plan, variant, a, resolved) {
    var e = variant.incoming[0], r = resolved.incoming[0];
    var where = { plan: plan.id, variant: variant.id, direction: 'incoming' };
    slot(card, 'host').appendChild(marker('host', where, e, r.host, S.display(e.host, a)));
    slot(card, 'username').appendChild(
      marker('username', where, e, r.username, S.display(e.username, a)));
    var alts = variant.host.alternatives;
    slot(card, 'notice').hidden = !variant.host.from_notice;
    slot(card, 'alternatives-intro').hidden = alts.length === 0;
    var list = slot(card, 'alternatives');
    alts.forEach(function (pattern, i) {
      if (i > 0) list.appendChild(document.createTextNode(list.getAttribute('data-sep') || ', '));
      var code = document.createElement('code');
      code.textContent = S.display(pattern, a);
      list.appendChild(code);
    });
  }

  function guides(card, plan, variant) {
    var tpl = document.getElementById('ys-guides');
    var items = tpl ? tpl.content.querySelectorAll('li') : [];
    var list = slot(card, 'guides');
    Array.prototype.forEach.call(items, function (li) {
      if (li.getAttribute('data-plan') === plan.id && li.getAttribute('data-variant') === variant.id) {
        list.appendChild(li.cloneNode(true));
      }
    });
    slot(card, 'guides-intro').hidden = list.children.length === 0;
  }

  function render(data, plan, variant, a) {
    var card = document.getElementById('ys-result').content.cloneNode(true);
    slot(card, 'title').textContent = variant.title[lang];
    slot(card, 'address').textContent = S.display('{address}', a);
    var resolved = A.resolve(variant, a);
    hostFacts(card, plan, variant, a, resolved);
    endpoints(data, slot(card, 'incoming'), variant.incoming,
      { plan: plan.id, variant: variant.id, direction: 'incoming' });
    endpoints(data, slot(card, 'outgoing'), variant.outgoing,
      { plan: plan.id, variant: variant.id, direction: 'outgoing' });
    var warnings = slot(card, 'warnings');
    resolved.warnings.forEach(function (id) {
      var w = data.warnings[id];
      if (!w) return;
      var box = document.getElementById('ys-warning').content.cloneNode(true);
      box.firstElementChild.setAttribute('data-warning', id);
      slot(box, 'title').textContent = w.title[lang];
      slot(box, 'text').textContent = w.text[lang];
      warnings.appendChild(box);
    });
    slot(card, 'profile').addEventListener('click', function () { download(data, variant, a); });
    guides(card, plan, variant);
    results.replaceChildren(card);
    var title = results.querySelector('h2');
    title.setAttribute('tabindex', '-1');
    title.focus();
  }

  // The variant list of the chosen plan: only what it offers.
  function fillVariants(data, wanted) {
    var plan = byId(data.plans, planSelect.value) || data.plans[0];
    var keep = wanted || variantSelect.value;
    variantSelect.replaceChildren();
    plan.variants.forEach(function (v) {
      var option = document.createElement('option');
      option.value = v.id;
      option.textContent = v.name[lang];
      variantSelect.appendChild(option);
    });
    if (byId(plan.variants, keep)) variantSelect.value = keep;
  }

  function fail(result) {
    results.replaceChildren();
    input.setAttribute('aria-invalid', 'true');
    S.showError(error, document, result);
  }

  function show() {
    error.hidden = true;
    notOffered.hidden = true;
    input.removeAttribute('aria-invalid');
    Promise.all([exported, A.parse(input.value, getRules)]).then(function (both) {
      var data = both[0], result = both[1];
      if (!result.ok) return fail(result);
      var plan = byId(data.plans, planSelect.value);
      var variant = plan && byId(plan.variants, variantSelect.value);
      if (!variant) return;
      S.save(result.address, plan.id, variant.id);
      render(data, plan, variant, result.address);
    }).catch(function () {
      fail({ error: 'unavailable', detail: '' });
    });
  }

  // #address=…&plan=…&variant=… (a link in the mail settings notice, say). `+` stays a plus.
  function fromFragment() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
      var i = pair.indexOf('=');
      if (i < 0) return;
      try {
        out[decodeURIComponent(pair.slice(0, i))] = decodeURIComponent(pair.slice(i + 1));
      } catch (e) {
        // A malformed escape: ignore that part.
      }
    });
    return out;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    show();
  });
  form.hidden = false;
  // A link that names a variant its plan does not offer says so (with the data's reason)
  // instead of showing another variant's values. True when the link's choice stands.
  function offered(data, planId, variantId) {
    notOffered.hidden = true;
    var plan = byId(data.plans, planId);
    if (!plan || !variantId || byId(plan.variants, variantId)) return true;
    var why = plan.unavailable.filter(function (u) { return u.variant === variantId; })[0];
    slot(notOffered, 'reason').textContent = why ? why.name[lang] + ': ' + why.reason[lang] : '';
    notOffered.hidden = false;
    return false;
  }

  // The form from the link (#address=…&plan=…&variant=…) or from this tab's last choice.
  function apply(data) {
    var wanted = fromFragment(), stored = S.load();
    var plan = wanted.plan || (stored && stored.plan);
    if (plan && byId(data.plans, plan)) planSelect.value = plan;
    fillVariants(data, wanted.variant || (stored && stored.variant));
    var stands = offered(data, wanted.plan || planSelect.value, wanted.variant);
    if (typeof wanted.address === 'string') input.value = wanted.address;
    else if (stored) input.value = A.unicode(stored);
    // Results at once only when the plan is known too (not guessed from the list's first).
    if (!stands) results.replaceChildren();
    else if (input.value && plan) show();
  }

  exported.then(function (data) {
    apply(data);
    // A new choice updates results already shown.
    planSelect.addEventListener('change', function () {
      notOffered.hidden = true;
      fillVariants(data);
      if (results.children.length) show();
    });
    variantSelect.addEventListener('change', function () {
      notOffered.hidden = true;
      if (results.children.length) show();
    });
    // Another link followed on this page (only the fragment changes): read it again.
    window.addEventListener('hashchange', function () { apply(data); });
  }, function () {
    fail({ error: 'unavailable', detail: '' });
  });
})();
