/* mailsite — e-mail addresses in the browser, read exactly as the engine reads them
 * (src/address.rs, src/pattern.rs), so a page answers what `mailsite explain` answers.
 * tests/setup_js.rs compares the two for a table of addresses and every public-suffix rule.
 * Nothing here touches the page or the network: callers pass the public-suffix rules in. */
(function (root) {
  'use strict';

  // Rust's str::trim: Unicode White_Space (not U+FEFF, which JavaScript's trim also drops).
  var SPACE = '[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
  var TRIM = new RegExp('^' + SPACE + '+|' + SPACE + '+$', 'g');
  var LOCAL_SPECIALS = "!#$%&'*+-/=?^_`{|}~.";

  function fail(code, detail) {
    return { ok: false, error: code, detail: detail || '' };
  }

  function utf8Length(s) {
    return new TextEncoder().encode(s).length;
  }

  // RFC 3492 Punycode decoding of one label without its `xn--`; null when malformed.
  function punycodeDecode(input) {
    var base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
    var n = 128, i = 0, bias = 72, output = [];
    var b = input.lastIndexOf('-');
    if (b < 0) b = 0;
    for (var j = 0; j < b; j++) {
      if (input.charCodeAt(j) >= 0x80) return null;
      output.push(input.charCodeAt(j));
    }
    for (var k = b > 0 ? b + 1 : 0; k < input.length;) {
      var oldi = i, w = 1;
      for (var t = base; ; t += base) {
        if (k >= input.length) return null;
        var c = input.charCodeAt(k++);
        var digit = c >= 48 && c <= 57 ? c - 22
          : c >= 65 && c <= 90 ? c - 65
          : c >= 97 && c <= 122 ? c - 97 : base;
        if (digit >= base) return null;
        i += digit * w;
        var th = t <= bias ? tMin : t >= bias + tMax ? tMax : t - bias;
        if (digit < th) break;
        w *= base - th;
        if (w > 0x7fffffff || i > 0x7fffffff) return null;
      }
      var len = output.length + 1;
      var delta = oldi === 0 ? Math.floor((i - oldi) / damp) : (i - oldi) >> 1;
      delta += Math.floor(delta / len);
      var kk = 0;
      while (delta > ((base - tMin) * tMax) >> 1) {
        delta = Math.floor(delta / (base - tMin));
        kk += base;
      }
      bias = kk + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
      n += Math.floor(i / len);
      i %= len;
      if (n > 0x10ffff) return null;
      output.splice(i++, 0, n);
    }
    return String.fromCodePoint.apply(null, output);
  }

  function labelToUnicode(label) {
    return label.indexOf('xn--') === 0 ? punycodeDecode(label.slice(4)) : label;
  }

  function toUnicode(ascii) {
    return ascii.split('.').map(labelToUnicode).join('.');
  }

  // A Punycode label is valid when it decodes to something not all ASCII that maps to
  // itself again (UTS 46 validates the decoded label; some URL parsers skip that).
  function validPunycode(label, decoded) {
    if (decoded === '' || /^[\x00-\x7f]*$/.test(decoded)) return false;
    try {
      return new URL('http://' + decoded + '.a/').hostname === label + '.a';
    } catch (e) {
      return false;
    }
  }

  // UTS 46 "to ASCII" as Rust's idna::domain_to_ascii_strict does it (STD3 rules,
  // CheckHyphens, VerifyDnsLength); null when the domain is not valid. The mapping itself
  // (upper case, full-width forms, Punycode) is the browser's URL parser's.
  function domainToAscii(domain) {
    for (var ch of domain) {
      if (ch < '\u0080' && !/[A-Za-z0-9.-]/.test(ch)) return null;
    }
    var ascii;
    if (/[^\x00-\x7f]/.test(domain) || /(^|\.)xn--/i.test(domain)) {
      try {
        // A last label of letters keeps the URL parser from reading `x.123` as IPv4.
        ascii = new URL('http://' + domain + '.a/').hostname;
      } catch (e) {
        return null;
      }
      if (ascii.slice(-2) !== '.a') return null;
      ascii = ascii.slice(0, -2);
    } else {
      ascii = domain.toLowerCase();
    }
    if (ascii.length === 0 || ascii.length > 253) return null;
    var labels = ascii.split('.');
    for (var l = 0; l < labels.length; l++) {
      var label = labels[l];
      if (label.length === 0 || label.length > 63 || !/^[a-z0-9-]+$/.test(label)) return null;
      var u = labelToUnicode(label);
      if (u === null) return null;
      if (u !== label && !validPunycode(label, u)) return null;
      var cps = Array.from(u);
      if (cps[0] === '-' || cps[cps.length - 1] === '-') return null;
      if (cps[2] === '-' && cps[3] === '-') return null;
    }
    return ascii;
  }

  // Step 1, everything but the public suffix: {ok, local, domainAscii, tld} or an error.
  // src/address.rs half_width: full-width ASCII forms and the ideographic space as ASCII.
  function halfWidth(text) {
    return text.replace(/[\uff01-\uff5e\u3000]/g, function (c) {
      return c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    });
  }

  function parseSyntax(input) {
    var s = halfWidth(String(input)).replace(TRIM, '');
    var at = s.lastIndexOf('@');
    if (at < 0) return fail('no-at');
    var local = s.slice(0, at), domain = s.slice(at + 1);
    if (local.length === 0) return fail('local-empty');
    if (utf8Length(local) > 64) return fail('local-long');
    for (var c of local) {
      if (!/[A-Za-z0-9]/.test(c) && LOCAL_SPECIALS.indexOf(c) < 0) return fail('local-char', c);
    }
    if (local[0] === '.' || local[local.length - 1] === '.' || local.indexOf('..') >= 0) {
      return fail('local-dots');
    }
    if (domain.length === 0) return fail('domain-empty');
    var ascii = domainToAscii(domain);
    if (ascii === null) return fail('domain-invalid', domain);
    if (ascii.indexOf('.') < 0) return fail('domain-no-dot', domain);
    if (ascii.length > 253) return fail('domain-long');
    // src/address.rs: no top-level domain is a number (127.0.0.1 is an IP address).
    if (/^[0-9]+$/.test(ascii.slice(ascii.lastIndexOf('.') + 1))) return fail('domain-invalid', domain);
    return { ok: true, local: local, domainAscii: ascii, tld: ascii.slice(ascii.lastIndexOf('.') + 1) };
  }

  // The group file (`j` for `jp`) holding a top-level domain's public-suffix rules.
  function suffixGroup(tld) {
    return tld.charAt(0);
  }

  // How many labels of `labels` are the public suffix, by the list's algorithm: the
  // longest matching rule, an exception rule first, `*` when none matches. `rules` are a
  // top-level domain's rules without it ('' = the domain itself, '*.kawasaki', '!city.kawasaki').
  function suffixLabels(labels, rules) {
    var set = new Set(rules || []);
    var n = labels.length, best = 1, exception = 0;
    for (var i = 1; i <= n; i++) {
      var below = labels.slice(n - i, n - 1).join('.');
      var parent = labels.slice(n - i + 1, n - 1).join('.');
      if (set.has(below)) best = i;
      if (i >= 2 && set.has(parent ? '*.' + parent : '*')) best = i;
      if (set.has('!' + below)) exception = i;
    }
    return exception ? exception - 1 : best;
  }

  // Step 2: the address with its public suffix, given the rules of its top-level domain.
  function complete(syntax, rules) {
    var labels = syntax.domainAscii.split('.');
    var suffix = suffixLabels(labels, rules);
    if (suffix >= labels.length) return fail('public-suffix', toUnicode(syntax.domainAscii));
    var stemAscii = labels.slice(0, labels.length - suffix).join('.');
    return {
      ok: true,
      address: {
        local: syntax.local,
        domainAscii: syntax.domainAscii,
        domainUnicode: toUnicode(syntax.domainAscii),
        stemAscii: stemAscii,
        stemUnicode: toUnicode(stemAscii)
      }
    };
  }

  // An address from what a customer typed. `getRules(group, tld)` returns (a promise of)
  // the rules of one top-level domain. Resolves to {ok, address} or {ok: false, error, detail}.
  function parse(input, getRules) {
    var syntax = parseSyntax(input);
    if (!syntax.ok) return Promise.resolve(syntax);
    return Promise.resolve(getRules(suffixGroup(syntax.tld), syntax.tld)).then(function (rules) {
      return complete(syntax, rules);
    });
  }

  function ascii(a) {
    return a.local + '@' + a.domainAscii;
  }

  function unicode(a) {
    return a.local + '@' + a.domainUnicode;
  }

  // A host or user-name pattern filled in, each placeholder once (src/pattern.rs);
  // form 'ascii' for machines, 'unicode' for people.
  function fill(pattern, a, form) {
    var uni = form === 'unicode';
    var values = {
      address: uni ? unicode(a) : ascii(a),
      domain: uni ? a.domainUnicode : a.domainAscii,
      stem: uni ? a.stemUnicode : a.stemAscii
    };
    return String(pattern).replace(/\{([^}]*)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  // One variant of the settings export (src/setup/export.rs) resolved for an address, in
  // the shape of `mailsite explain --format json`: the export carries every option, its
  // order and warnings as the engine resolved them; only the patterns are filled in here.
  function resolve(variant, a) {
    var entry = function (e) {
      var host = fill(e.host, a, 'ascii'), hostUnicode = fill(e.host, a, 'unicode');
      var out = {
        protocol: e.protocol, host: host, port: e.port, security: e.security, auth: e.auth,
        username: fill(e.username, a, 'ascii'), recommended: e.recommended, port_id: e.port_id
      };
      if (hostUnicode !== host) out.host_unicode = hostUnicode;
      return out;
    };
    return {
      address: ascii(a),
      incoming: variant.incoming.map(entry),
      outgoing: variant.outgoing.map(entry),
      warnings: variant.warnings.slice()
    };
  }

  root.MailsiteAddress = {
    resolve: resolve,
    parse: parse,
    parseSyntax: parseSyntax,
    complete: complete,
    suffixGroup: suffixGroup,
    suffixLabels: suffixLabels,
    ascii: ascii,
    unicode: unicode,
    fill: fill
  };
})(typeof window !== 'undefined' ? window : globalThis);
