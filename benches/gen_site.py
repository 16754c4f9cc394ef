#!/usr/bin/env python3
# Vendored from the shared build-speed kit (../shared/bench/gen_site.py, next to this
# project's checkout) so that benches/speed.py runs from a fresh clone. Unchanged below this
# comment: the same arguments give the same bytes as the shared copy.
"""Generate a synthetic bilingual (ja/en) Markdown site for build-speed comparisons.

usage: gen_site.py PAGES_PER_LOCALE OUT_DIR

Writes OUT_DIR/content/{ja,en}/docs/sNN/pNNNNN.md, each page with TOML front
matter (+++), headings, a settings table, lists, a blockquote warning and a
code block, about 4 KB of Markdown. The same tree is laid out so that both
mailsite (content/<locale>/...) and Hugo (contentDir per language) read it.
Also writes OUT_DIR/hugo/ (hugo.toml and minimal layouts) so that
`hugo --source OUT_DIR/hugo` builds the same pages for a side-by-side timing.
The output is deterministic: the same arguments give the same bytes.
"""
import os
import random
import sys

JA_WORDS = ("受信 送信 サーバー ポート 認証 暗号化 接続 設定 メール アカウント 証明書 "
            "パスワード 迷惑メール 対策 共用 専用 保守 初期設定 プラン ドメイン").split()
EN_WORDS = ("incoming outgoing server port authentication encryption connection "
            "settings mail account certificate password spam filter shared dedicated "
            "maintenance setup plan domain").split()


def sentence(rng, words, ja):
    n = rng.randint(8, 16)
    picked = [rng.choice(words) for _ in range(n)]
    if ja:
        return "".join(picked) + "。"
    s = " ".join(picked)
    return s[0].upper() + s[1:] + "."


def page(rng, locale, i, section):
    ja = locale == "ja"
    words = JA_WORDS if ja else EN_WORDS
    title = (f"設定ガイド {i}" if ja else f"Settings guide {i}")
    out = [
        "+++",
        f'title = "{title}"',
        f"weight = {i}",
        f'description = "{sentence(rng, words, ja)}"',
        "+++",
        "",
    ]
    for h in range(3):
        out.append(f"## {sentence(rng, words, ja)[:24]} {h}")
        out.append("")
        out.append(" ".join(sentence(rng, words, ja) for _ in range(4)))
        out.append("")
    out += [
        "| " + (" | ".join(["項目", "値", "備考"] if ja else ["Item", "Value", "Note"])) + " |",
        "|---|---|---|",
    ]
    for r in range(8):
        out.append(f"| {rng.choice(words)} | {rng.choice([25, 110, 143, 465, 587, 993, 995])} | {rng.choice(words)} |")
    out.append("")
    for r in range(5):
        out.append(f"- **{rng.choice(words)}**: {sentence(rng, words, ja)}")
    out.append("")
    out.append("> " + ("注意: " if ja else "Warning: ") + sentence(rng, words, ja))
    out.append("")
    out.append("```text")
    out.append(f"mail.example-{section}.jp:{rng.choice([587, 465])}")
    out.append("```")
    out.append("")
    out.append(" ".join(sentence(rng, words, ja) for _ in range(6)))
    out.append("")
    return "\n".join(out)


HUGO_TOML = """baseURL = "https://example.org/"
defaultContentLanguage = "ja"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS"]
enableRobotsTXT = false
[languages.ja]
contentDir = "../content/ja"
weight = 1
languageName = "日本語"
[languages.en]
contentDir = "../content/en"
weight = 2
languageName = "English"
[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """<!doctype html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title>
<meta name="description" content="{{ .Description }}">
{{ range .Translations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a> {{ end }}</footer>
</body></html>
"""
SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2]
    per_section = 100
    for locale in ("ja", "en"):
        rng = random.Random(f"{locale}-{n}")
        for i in range(n):
            section = i // per_section
            d = os.path.join(out, "content", locale, "docs", f"s{section:02d}")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"p{i:05d}.md"), "w", encoding="utf-8") as f:
                f.write(page(rng, locale, i, section))
    h = os.path.join(out, "hugo")
    os.makedirs(os.path.join(h, "layouts", "_default"), exist_ok=True)
    with open(os.path.join(h, "hugo.toml"), "w") as f:
        f.write(HUGO_TOML)
    for name, text in (("baseof.html", BASEOF), ("single.html", SINGLE), ("list.html", LIST)):
        with open(os.path.join(h, "layouts", "_default", name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
