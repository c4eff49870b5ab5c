#!/usr/bin/env python3
"""Writes a synthetic news corpus of N articles twice: as a briefing site and as a Hugo site with the
same articles, so that both tools build the same content.

Each article is about 600 words in paragraphs: news sentences about real countries (from
data/countries.json, the reference data briefing ships) and organisations (data/organisations.yaml),
real public figures with their offices, and direct quotations with attributions in the forms news
uses ("...," Macron said. / X said: "..."). Front matter gives title, date and source. The Hugo site
has taxonomies for countries and organisations (from the names each article uses), a page per
article, a page per term listing its articles, and a paginated home.

The text is random but seeded: the same N and seed give the same files.

Usage: python3 bench/gen_corpus.py N OUT_DIR [--seed S]
  OUT_DIR/briefing/  site.yaml, content/articles/*.md (the built-in theme)
  OUT_DIR/hugo/      hugo.toml, content/posts/*.md, layouts/
"""
import argparse
import json
import os
import random
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Public figures and their offices, for attributions. (A bench's cast, not reference data: the
# derivation never reads this list.)
PEOPLE = [
    ("Emmanuel Macron", "French President", "France"),
    ("Olaf Scholz", "German Chancellor", "Germany"),
    ("Vladimir Putin", "Russian President", "Russia"),
    ("Xi Jinping", "Chinese President", "China"),
    ("Narendra Modi", "Indian Prime Minister", "India"),
    ("Recep Tayyip Erdogan", "Turkish President", "Turkey"),
    ("Nikol Pashinyan", "Armenian Prime Minister", "Armenia"),
    ("Ilham Aliyev", "Azerbaijani President", "Azerbaijan"),
    ("Kassym-Jomart Tokayev", "Kazakh President", "Kazakhstan"),
    ("Alexander Lukashenko", "Belarusian President", "Belarus"),
    ("Volodymyr Zelensky", "Ukrainian President", "Ukraine"),
    ("Giorgia Meloni", "Italian Prime Minister", "Italy"),
    ("Pedro Sanchez", "Spanish Prime Minister", "Spain"),
    ("Fumio Kishida", "Japanese Prime Minister", "Japan"),
    ("Luiz Inacio Lula da Silva", "Brazilian President", "Brazil"),
    ("Cyril Ramaphosa", "South African President", "South Africa"),
    ("Antonio Guterres", "UN Secretary-General", None),
    ("Jens Stoltenberg", "Nato Secretary-General", None),
    ("Ursula von der Leyen", "European Commission President", None),
    ("Kristalina Georgieva", "IMF Managing Director", None),
    ("Tedros Adhanom Ghebreyesus", "WHO Director-General", None),
    ("Sergei Lavrov", "Russian Foreign Minister", "Russia"),
    ("Antony Blinken", "US Secretary of State", "United States"),
    ("Wang Yi", "Chinese Foreign Minister", "China"),
    ("Annalena Baerbock", "German Foreign Minister", "Germany"),
    ("Hakan Fidan", "Turkish Foreign Minister", "Turkey"),
    ("Ararat Mirzoyan", "Armenian Foreign Minister", "Armenia"),
    ("Jeyhun Bayramov", "Azerbaijani Foreign Minister", "Azerbaijan"),
    ("Imangali Tasmagambetov", "CSTO Secretary-General", None),
    ("Dmitry Peskov", "Kremlin spokesman", "Russia"),
]

OUTLETS = ["Reuters", "Associated Press", "AFP", "TASS", "Anadolu Agency", "Al Jazeera", "BBC News",
           "Deutsche Welle", "Euronews", "The Guardian", "Xinhua", "Kyodo News"]

SUBJECTS = ["talks", "the summit", "the agreement", "the border", "trade", "energy supplies", "the ceasefire",
            "sanctions", "the election", "security cooperation", "the peace process", "the budget",
            "grain exports", "the pipeline", "the refugee crisis", "military exercises", "the negotiations"]
VERBS_PAST = ["met", "discussed", "agreed on", "signed", "rejected", "welcomed", "criticised", "postponed",
              "announced", "reviewed", "called for", "warned about"]
ADVERBS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend",
           "late on Sunday", "earlier this week", "last month", "this year"]
FILLER = [
    "Officials said the details would be published in the coming days.",
    "The move follows months of difficult negotiations between the two sides.",
    "Analysts said the decision could change the balance of power in the region.",
    "The statement gave no timetable for the next steps.",
    "Markets reacted calmly to the news, with prices little changed by the afternoon.",
    "Diplomats said further meetings were expected before the end of the year.",
    "The government has faced growing pressure at home over its handling of the crisis.",
    "Critics say the plan does not go far enough to address the underlying problems.",
    "Both sides described the discussions as constructive and frank.",
    "The issue is expected to dominate the agenda when ministers meet again next month.",
    "Independent observers were not allowed to attend the meeting.",
    "The announcement was welcomed by business groups but criticised by opposition parties.",
]
QUOTES = [
    "We are ready to continue the dialogue, but only on the basis of mutual respect",
    "This is an important step towards lasting peace in the region",
    "Our position has not changed and will not change",
    "We call on all parties to show restraint and to return to the negotiating table",
    "The agreement opens a new chapter in relations between our countries",
    "Nobody should be under any illusion about what is at stake",
    "We will defend our interests by every legal means available to us",
    "The door to diplomacy remains open, and we hope our partners will walk through it",
    "These measures are temporary and will be reviewed in three months",
    "There can be no security for one country at the expense of another",
    "We expect concrete results, not more promises",
    "The humanitarian situation is getting worse by the day",
]


def load_names():
    with open(os.path.join(ROOT, "data", "countries.json"), encoding="utf-8") as f:
        countries = [c for c in json.load(f) if c.get("independent") and c.get("adjectives")]
    organisations = []
    with open(os.path.join(ROOT, "data", "organisations.yaml"), encoding="utf-8") as f:
        entry = {}
        for line in f:
            m = re.match(r"^- id: (\S+)", line)
            if m:
                if entry:
                    organisations.append(entry)
                entry = {"id": m.group(1)}
            m = re.match(r"^  (name|acronyms): (.+)$", line)
            if m and entry:
                entry[m.group(1)] = m.group(2).strip()
        if entry:
            organisations.append(entry)
    orgs = []
    for o in organisations:
        acronyms = [a.strip() for a in o.get("acronyms", "[]").strip("[]").split(",") if a.strip()]
        orgs.append((o["name"], acronyms[0] if acronyms else None))
    return countries, orgs


# How news writes a later mention of those whose surname is not their last word.
SURNAMES = {"Xi Jinping": "Xi", "Wang Yi": "Wang", "Luiz Inacio Lula da Silva": "Lula",
            "Tedros Adhanom Ghebreyesus": "Tedros", "Ursula von der Leyen": "von der Leyen"}


class Writer:
    def __init__(self, seed):
        self.random = random.Random(seed)
        self.countries, self.organisations = load_names()

    def article(self, n):
        r = self.random
        # A story has a cast: two or three countries, an organisation or two, two or three people.
        countries = r.sample(self.countries, r.randint(2, 3))
        organisations = r.sample(self.organisations, r.randint(1, 2))
        people = r.sample(PEOPLE, r.randint(2, 3))
        subject = r.choice(SUBJECTS)
        c0, c1 = countries[0]["name"], countries[1]["name"]
        title = f"{c0} and {c1} {r.choice(VERBS_PAST)} {subject}"
        title = title[0].upper() + title[1:]
        paragraphs = []
        words = 0
        while words < 600:
            paragraph = []
            for _ in range(r.randint(2, 4)):
                paragraph.append(self.sentence(countries, organisations, people, subject))
            text = " ".join(paragraph)
            paragraphs.append(text)
            words += len(text.split())
        year = 2020 + n % 5
        date = f"{year}-{1 + (n * 7) % 12:02d}-{1 + (n * 13) % 28:02d}"
        return {
            "slug": f"story-{n:06d}",
            "title": title,
            "date": date,
            "source": r.choice(OUTLETS),
            "countries": [c["name"] for c in countries],
            "organisations": [o[0] for o in organisations],
            "body": "\n\n".join(paragraphs),
        }

    def sentence(self, countries, organisations, people, subject):
        r = self.random
        country = r.choice(countries)
        name, office, _ = r.choice(people)
        org_name, acronym = r.choice(organisations)
        kind = r.randint(0, 9)
        quote = r.choice(QUOTES)
        if kind == 0:
            return f'"{quote}," {office} {name} said.'
        if kind == 1:
            return f'{name} said: "{quote}."'
        if kind == 2:
            surname = SURNAMES.get(name, name.split()[-1])
            return f'"{quote}," {surname} told reporters {r.choice(ADVERBS)}.'
        if kind == 3:
            return f"The {country['adjectives'][0]} government {r.choice(VERBS_PAST)} {subject} {r.choice(ADVERBS)}."
        if kind == 4:
            short = acronym or org_name
            return f"The {org_name} ({short}) {r.choice(VERBS_PAST)} {subject} with {country['name']}."
        if kind == 5:
            return f"Delegations from {countries[0]['name']} and {countries[-1]['name']} {r.choice(VERBS_PAST)} {subject} in {r.choice(country.get('capitals') or [country['name']])}."
        return r.choice(FILLER)


def yaml_string(text):
    return json.dumps(text, ensure_ascii=False)


def write_briefing(out, articles):
    site = os.path.join(out, "briefing")
    folder = os.path.join(site, "content", "articles")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(site, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: Synthetic briefing\ndescription: A generated corpus for benchmarks.\n")
    for a in articles:
        with open(os.path.join(folder, a["slug"] + ".md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {yaml_string(a['title'])}\ndate: {a['date']}\nsource: {yaml_string(a['source'])}\n---\n\n")
            f.write(a["body"] + "\n")


HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }} · {{ .Params.source }}</p>
{{ .Content }}
<p>{{ range .GetTerms "countries" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>{{ range .GetTerms "organisations" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p></article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}{{ $paginator := .Paginate (where .Site.RegularPages "Type" "posts") }}
<ul>{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
}


def write_hugo(out, articles):
    site = os.path.join(out, "hugo")
    folder = os.path.join(site, "content", "posts")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(site, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write('baseURL = "https://example.org/"\nlanguageCode = "en"\ntitle = "Synthetic briefing"\n'
                'disableKinds = ["RSS", "sitemap", "robotsTXT"]\n'
                '[taxonomies]\n  country = "countries"\n  organisation = "organisations"\n'
                '[pagination]\n  pagerSize = 20\n')
    for path, text in HUGO_LAYOUTS.items():
        target = os.path.join(site, "layouts", path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
    for a in articles:
        with open(os.path.join(folder, a["slug"] + ".md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {yaml_string(a['title'])}\ndate: {a['date']}\nsource: {yaml_string(a['source'])}\n")
            f.write(f"countries: {json.dumps(a['countries'], ensure_ascii=False)}\n")
            f.write(f"organisations: {json.dumps(a['organisations'], ensure_ascii=False)}\n---\n\n")
            f.write(a["body"] + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for sub in ("briefing", "hugo"):
        shutil.rmtree(os.path.join(args.out, sub), ignore_errors=True)
    writer = Writer(args.seed)
    articles = [writer.article(n) for n in range(args.n)]
    write_briefing(args.out, articles)
    write_hugo(args.out, articles)
    words = sum(len(a["body"].split()) for a in articles)
    print(f"{args.n} articles, {words / max(1, args.n):.0f} words each on average -> {args.out}/briefing, {args.out}/hugo")


if __name__ == "__main__":
    main()
