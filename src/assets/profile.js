/* mailsite — the Apple configuration profile of src/setup/mobileconfig.rs, made in the
 * browser from the settings export: the same keys, values and layout as
 * `mailsite profile` (tests/browser/your-settings.test.mjs compares the two). Which account
 * type, SSL switch and authentication a server gets is decided by the engine and read
 * from the export (`variant.apple`), never here. No password is written. */
(function (root) {
  'use strict';
  var A = root.MailsiteAddress;

  function escapeXml(s) {
    return String(s).replace(/[&<>'"]/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' }[c];
    });
  }

  // A fresh random (version 4) UUID, upper case. crypto.randomUUID needs a secure context;
  // getRandomValues does not.
  function randomUuid() {
    var b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return (h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' +
      h.slice(16, 20) + '-' + h.slice(20)).toUpperCase();
  }

  // mobileconfig::identifier: provider domain and address domain reversed, then the local
  // part with every byte but letters, digits and '-' written `_xx`.
  function identifier(providerDomain, a) {
    var rev = function (d) { return d.split('.').reverse().join('.'); };
    var local = Array.from(new TextEncoder().encode(a.local), function (b) {
      var c = String.fromCharCode(b);
      return /[A-Za-z0-9-]/.test(c) ? c : '_' + (b + 0x100).toString(16).slice(1);
    }).join('');
    return rev(providerDomain) + '.mail.' + rev(a.domainAscii) + '.' + local;
  }

  // Plist XML as the plist crate writes it: tab indentation, one element a line. A
  // dictionary is {dict: [[key, value], …]} (its keys in order), an array a JS array.
  function write(value, depth, out) {
    var pad = '\t'.repeat(depth);
    if (Array.isArray(value)) {
      out.push(pad + '<array>');
      value.forEach(function (v) { write(v, depth + 1, out); });
      out.push(pad + '</array>');
    } else if (value && value.dict) {
      out.push(pad + '<dict>');
      value.dict.forEach(function (kv) {
        out.push(pad + '\t<key>' + escapeXml(kv[0]) + '</key>');
        write(kv[1], depth + 1, out);
      });
      out.push(pad + '</dict>');
    } else if (typeof value === 'boolean') {
      out.push(pad + (value ? '<true/>' : '<false/>'));
    } else if (typeof value === 'number') {
      out.push(pad + '<integer>' + value + '</integer>');
    } else {
      out.push(pad + '<string>' + escapeXml(value) + '</string>');
    }
  }

  function server(side, e, apple, a) {
    return [
      [side + 'MailServerHostName', A.fill(e.host, a, 'ascii')],
      [side + 'MailServerPortNumber', e.port],
      [side + 'MailServerUseSSL', apple.use_ssl],
      [side + 'MailServerAuthentication', apple.authentication],
      [side + 'MailServerUsername', A.fill(e.username, a, 'ascii')]
    ];
  }

  // {xml, filename} of the profile for one address (`a`, from MailsiteAddress.parse) on one
  // variant of the export; `uuid` makes each PayloadUUID (random when omitted).
  function build(exported, variant, a, lang, uuid) {
    var next = uuid || randomUuid;
    var id = identifier(exported.provider_domain, a);
    var shown = A.unicode(a);
    var incoming = variant.incoming[0], outgoing = variant.outgoing[0], apple = variant.apple;
    var payload = [
      ['PayloadType', 'com.apple.mail.managed'],
      ['PayloadVersion', 1],
      ['PayloadIdentifier', id + '.account'],
      ['PayloadUUID', null],
      ['PayloadDisplayName', shown],
      ['EmailAccountDescription', shown],
      ['EmailAccountType', apple.account_type],
      ['EmailAddress', A.ascii(a)]
    ].concat(server('Incoming', incoming, apple.incoming, a),
      server('Outgoing', outgoing, apple.outgoing, a),
      [['OutgoingPasswordSameAsIncomingPassword', true]]);
    var top = [
      ['PayloadType', 'Configuration'],
      ['PayloadVersion', 1],
      ['PayloadIdentifier', id],
      ['PayloadUUID', next()],
      ['PayloadDisplayName', shown],
      ['PayloadDescription', variant.title[lang]],
      ['PayloadContent', [{ dict: payload }]]
    ];
    payload[3][1] = next();
    var out = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
      '<plist version="1.0">'
    ];
    write({ dict: top }, 0, out);
    out.push('</plist>');
    var filename = (A.ascii(a).replace(/[^A-Za-z0-9@._-]/g, '_')) + '.mobileconfig';
    return { xml: out.join('\n') + '\n', filename: filename };
  }

  root.MailsiteProfile = { build: build, identifier: identifier };
})(typeof window !== 'undefined' ? window : globalThis);
