#!/usr/bin/env python3
"""Regenerates Sources/NormalizeStage/Resources/countries.tsv.

Country codes and names come from the `pycountry` package (ISO 3166-1 data from Debian's
iso-codes, LGPL-2.1); calling codes, national trunk prefixes and national number lengths from
`phonenumbers` (Google libphonenumber metadata, Apache-2.0). Only these facts are copied.
Usage: pip install pycountry phonenumbers && python3 scripts/make-country-table.py
"""
import pycountry, phonenumbers
from phonenumbers import PhoneMetadata

# Everyday names people type in CRMs that ISO does not list.
EXTRA = {
    "US": ["USA", "U.S.", "U.S.A.", "United States of America", "America", "Estados Unidos"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland", "United Kingdom of Great Britain and Northern Ireland"],
    "DE": ["Deutschland", "Germany"], "FR": ["France"], "ES": ["España", "Espana"], "IT": ["Italia"],
    "NL": ["Holland", "The Netherlands", "Nederland"], "CH": ["Schweiz", "Suisse", "Svizzera"],
    "AT": ["Österreich", "Osterreich"], "BE": ["Belgique", "België"], "SE": ["Sverige"], "NO": ["Norge"],
    "DK": ["Danmark"], "FI": ["Suomi"], "PL": ["Polska"], "CZ": ["Czech Republic", "Czechia"],
    "KR": ["South Korea", "Korea", "Republic of Korea"], "KP": ["North Korea"], "RU": ["Russia"],
    "IR": ["Iran"], "VN": ["Vietnam"], "TW": ["Taiwan"], "BO": ["Bolivia"], "VE": ["Venezuela"],
    "TZ": ["Tanzania"], "SY": ["Syria"], "LA": ["Laos"], "MD": ["Moldova"], "BR": ["Brasil"],
    "MX": ["México"], "AE": ["UAE", "U.A.E.", "Emirates"], "CN": ["PRC", "Mainland China"],
    "HK": ["Hong Kong SAR"], "IE": ["Éire", "Republic of Ireland"], "NZ": ["Aotearoa"],
    "CI": ["Ivory Coast"], "CV": ["Cape Verde"], "SZ": ["Swaziland"], "MK": ["Macedonia"],
    "TR": ["Turkey", "Türkiye", "Turkiye"], "JP": ["Nippon"], "IN": ["Bharat"], "ZA": ["RSA"],
}

print("# ISO 3166-1 countries with telephone metadata for LeadHygiene's normalize stage.")
print("# Sources: ISO 3166-1 via pycountry (Debian iso-codes, LGPL-2.1); calling codes, trunk prefixes and")
print("# national significant number lengths via phonenumbers (libphonenumber metadata, Apache-2.0).")
print("# Regenerate with scripts/make-country-table.py.")
print("# alpha2\talpha3\tname\tcalling_code\ttrunk_prefix\tnsn_lengths\taliases(|-separated)")
for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
    names = [c.name] + [getattr(c, a) for a in ("official_name", "common_name") if hasattr(c, a)]
    names += EXTRA.get(c.alpha_2, [])
    seen, aliases = set(), []
    for n in names[1:]:
        if n.lower() not in seen and n.lower() != c.name.lower():
            seen.add(n.lower()); aliases.append(n)
    md = PhoneMetadata.metadata_for_region(c.alpha_2)
    code = str(md.country_code) if md else ""
    trunk = (md.national_prefix or "") if md else ""
    lengths = ""
    if md and md.general_desc and md.general_desc.possible_length:
        lengths = ",".join(str(x) for x in md.general_desc.possible_length if x > 0)
    print("\t".join([c.alpha_2, c.alpha_3, c.name, code, trunk, lengths, "|".join(aliases)]))
