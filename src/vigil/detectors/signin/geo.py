"""Where a sign-in came from, as a point with an uncertainty radius, and distances between two of them.

A sign-in with coordinates (Entra, Okta) is that point, radius 0. A sign-in with only a country (Google,
CSV exports) is the country's centroid with a radius that covers most of the country's mainland, so
that the distance between two sign-ins minus both radii is a *lower bound* of how far apart they were:
a country-only sign-in in Canada is never "far" from one in the United States, one in Romania is.

Centroids are those of Google's DSPL canonical country list (rounded); radii are rough extents written
for this table. Countries are matched by ISO 3166 alpha-2 code (Entra, Google) or by English name
(Okta's geolocation names, MaxMind's spellings and a few common variants).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

EARTH_RADIUS_KM = 6371.0
DEFAULT_RADIUS_KM = 300

# code, latitude, longitude, radius in km ("-" for the default), English name; other names after "|".
_COUNTRIES = """
AD 42.55 1.60 - Andorra
AE 23.42 53.85 - United Arab Emirates|UAE
AF 33.94 67.71 800 Afghanistan
AG 17.06 -61.80 - Antigua and Barbuda
AI 18.22 -63.07 - Anguilla
AL 41.15 20.17 - Albania
AM 40.07 45.04 - Armenia
AO -11.20 17.87 900 Angola
AQ -75.25 -0.07 3000 Antarctica
AR -38.42 -63.62 1700 Argentina
AS -14.27 -170.13 - American Samoa
AT 47.52 14.55 350 Austria
AU -25.27 133.78 2600 Australia
AW 12.52 -69.97 - Aruba
AX 60.18 19.92 - Aland Islands|Åland|Åland Islands
AZ 40.14 47.58 - Azerbaijan
BA 43.92 17.68 - Bosnia and Herzegovina
BB 13.19 -59.54 - Barbados
BD 23.68 90.36 400 Bangladesh
BE 50.50 4.47 - Belgium
BF 12.24 -1.56 450 Burkina Faso
BG 42.73 25.49 350 Bulgaria
BH 25.93 50.64 - Bahrain
BI -3.37 29.92 - Burundi
BJ 9.31 2.32 400 Benin
BL 17.90 -62.83 - Saint Barthelemy|Saint Barthélemy
BM 32.32 -64.76 - Bermuda
BN 4.54 114.73 - Brunei|Brunei Darussalam
BO -16.29 -63.59 800 Bolivia|Bolivia, Plurinational State of
BQ 12.18 -68.24 - Bonaire, Sint Eustatius, and Saba|Caribbean Netherlands
BR -14.24 -51.93 2200 Brazil
BS 25.03 -77.40 500 Bahamas|The Bahamas
BT 27.51 90.43 - Bhutan
BW -22.33 24.68 600 Botswana
BY 53.71 27.95 450 Belarus
BZ 17.19 -88.50 - Belize
CA 56.13 -106.35 3000 Canada
CD -4.04 21.76 1200 DR Congo|Congo [DRC]|Democratic Republic of the Congo|Congo, Democratic Republic
CF 6.61 20.94 700 Central African Republic
CG -0.23 15.83 600 Republic of the Congo|Congo [Republic]|Congo|Congo Republic
CH 46.82 8.23 - Switzerland
CI 7.54 -5.55 500 Côte d'Ivoire|Cote d'Ivoire|Ivory Coast
CK -21.24 -159.78 - Cook Islands
CL -35.68 -71.54 2000 Chile
CM 7.37 12.35 700 Cameroon
CN 35.86 104.20 2500 China
CO 4.57 -74.30 900 Colombia
CR 9.75 -83.75 - Costa Rica
CU 21.52 -77.78 700 Cuba
CV 16.00 -24.01 - Cape Verde|Cabo Verde
CW 12.17 -68.99 - Curacao|Curaçao
CY 35.13 33.43 - Cyprus
CZ 49.82 15.47 - Czech Republic|Czechia
DE 51.17 10.45 500 Germany
DJ 11.83 42.59 - Djibouti
DK 56.26 9.50 400 Denmark
DM 15.41 -61.37 - Dominica
DO 18.74 -70.16 - Dominican Republic
DZ 28.03 1.66 1200 Algeria
EC -1.83 -78.18 500 Ecuador
EE 58.60 25.01 - Estonia
EG 26.82 30.80 800 Egypt
EH 24.22 -12.89 500 Western Sahara
ER 15.18 39.78 500 Eritrea
ES 40.46 -3.75 800 Spain
ET 9.15 40.49 900 Ethiopia
FI 61.92 25.75 900 Finland
FJ -16.58 179.41 400 Fiji
FK -51.80 -59.52 - Falkland Islands|Falkland Islands [Islas Malvinas]
FM 7.43 150.55 1500 Micronesia|Federated States of Micronesia
FO 61.89 -6.91 - Faroe Islands
FR 46.23 2.21 700 France
GA -0.80 11.61 450 Gabon
GB 55.38 -3.44 700 United Kingdom|UK|Great Britain
GD 12.26 -61.60 - Grenada
GE 42.32 43.36 - Georgia
GF 3.93 -53.13 - French Guiana
GG 49.47 -2.59 - Guernsey
GH 7.95 -1.02 450 Ghana
GI 36.14 -5.35 - Gibraltar
GL 71.71 -42.60 1500 Greenland
GM 13.44 -15.31 - Gambia|The Gambia
GN 9.95 -9.70 500 Guinea
GP 17.00 -62.07 - Guadeloupe
GQ 1.65 10.27 500 Equatorial Guinea
GR 39.07 21.82 500 Greece
GT 15.78 -90.23 - Guatemala
GU 13.44 144.79 - Guam
GW 11.80 -15.18 - Guinea-Bissau
GY 4.86 -58.93 450 Guyana
HK 22.40 114.11 - Hong Kong
HN 15.20 -86.24 350 Honduras
HR 45.10 15.20 400 Croatia
HT 18.97 -72.29 - Haiti
HU 47.16 19.50 - Hungary
ID -0.79 113.92 3000 Indonesia
IE 53.41 -8.24 - Ireland
IL 31.05 34.85 - Israel
IM 54.24 -4.55 - Isle of Man
IN 20.59 78.96 1700 India
IQ 33.22 43.68 600 Iraq
IR 32.43 53.69 1100 Iran|Iran, Islamic Republic of
IS 64.96 -19.02 - Iceland
IT 41.87 12.57 700 Italy
JE 49.21 -2.13 - Jersey
JM 18.11 -77.30 - Jamaica
JO 30.59 36.24 - Jordan|Hashemite Kingdom of Jordan
JP 36.20 138.25 1600 Japan
KE -0.02 37.91 700 Kenya
KG 41.20 74.77 450 Kyrgyzstan
KH 12.57 104.99 400 Cambodia
KI -3.37 -168.73 2000 Kiribati
KM -11.88 43.87 - Comoros
KN 17.36 -62.78 - Saint Kitts and Nevis|St Kitts and Nevis
KP 40.34 127.51 400 North Korea|Korea, Democratic People's Republic of
KR 35.91 127.77 - South Korea|Korea, Republic of|Republic of Korea|Korea
KW 29.31 47.48 - Kuwait
KY 19.51 -80.57 - Cayman Islands
KZ 48.02 66.92 1500 Kazakhstan
LA 19.86 102.50 600 Laos|Lao People's Democratic Republic
LB 33.85 35.86 - Lebanon
LC 13.91 -60.98 - Saint Lucia
LI 47.17 9.56 - Liechtenstein
LK 7.87 80.77 - Sri Lanka
LR 6.43 -9.43 - Liberia
LS -29.61 28.23 - Lesotho
LT 55.17 23.88 - Lithuania|Republic of Lithuania
LU 49.82 6.13 - Luxembourg
LV 56.88 24.60 - Latvia
LY 26.34 17.23 1000 Libya
MA 31.79 -7.09 700 Morocco
MC 43.75 7.41 - Monaco
MD 47.41 28.37 - Moldova|Republic of Moldova|Moldova, Republic of
ME 42.71 19.37 - Montenegro
MF 18.08 -63.05 - Saint Martin
MG -18.77 46.87 800 Madagascar
MH 7.13 171.18 700 Marshall Islands
MK 41.61 21.75 - North Macedonia|Macedonia|Macedonia [FYROM]
ML 17.57 -4.00 1000 Mali
MM 21.91 95.96 1000 Myanmar|Myanmar [Burma]|Burma
MN 46.86 103.85 1200 Mongolia
MO 22.20 113.54 - Macao|Macau
MP 17.33 145.38 - Northern Mariana Islands
MQ 14.64 -61.02 - Martinique
MR 21.01 -10.94 900 Mauritania
MS 16.74 -62.19 - Montserrat
MT 35.94 14.38 - Malta
MU -20.35 57.55 - Mauritius
MV 3.20 73.22 500 Maldives
MW -13.25 34.30 500 Malawi
MX 23.63 -102.55 1700 Mexico
MY 4.21 101.98 1700 Malaysia
MZ -18.67 35.53 1100 Mozambique
NA -22.96 18.49 800 Namibia
NC -20.90 165.62 - New Caledonia
NE 17.61 8.08 1000 Niger
NF -29.04 167.95 - Norfolk Island
NG 9.08 8.68 700 Nigeria
NI 12.87 -85.21 - Nicaragua
NL 52.13 5.29 - Netherlands|The Netherlands|Holland
NO 60.47 8.47 1500 Norway
NP 28.39 84.12 500 Nepal
NR -0.52 166.93 - Nauru
NU -19.05 -169.87 - Niue
NZ -40.90 174.89 900 New Zealand
OM 21.51 55.92 700 Oman
PA 8.54 -80.78 400 Panama
PE -9.19 -75.02 1100 Peru
PF -17.68 -149.41 1500 French Polynesia
PG -6.31 143.96 900 Papua New Guinea
PH 12.88 121.77 900 Philippines
PK 30.38 69.35 1000 Pakistan
PL 51.92 19.15 450 Poland
PM 46.94 -56.27 - Saint Pierre and Miquelon
PR 18.22 -66.59 - Puerto Rico
PS 31.95 35.23 - Palestine|Palestinian Territories|Palestinian Territory|State of Palestine
PT 39.40 -8.22 500 Portugal
PW 7.51 134.58 - Palau
PY -23.44 -58.44 600 Paraguay
QA 25.35 51.18 - Qatar
RE -21.12 55.54 - Reunion|Réunion
RO 45.94 24.97 400 Romania
RS 44.02 21.01 350 Serbia
RU 61.52 105.32 5000 Russia|Russian Federation
RW -1.94 29.87 - Rwanda
SA 23.89 45.08 1200 Saudi Arabia
SB -9.65 160.16 800 Solomon Islands
SC -4.68 55.49 - Seychelles
SD 12.86 30.22 1000 Sudan
SE 60.13 18.64 900 Sweden
SG 1.35 103.82 - Singapore
SH -24.14 -10.03 - Saint Helena
SI 46.15 15.00 - Slovenia
SJ 77.55 23.67 500 Svalbard and Jan Mayen
SK 48.67 19.70 - Slovakia
SL 8.46 -11.78 - Sierra Leone
SM 43.94 12.46 - San Marino
SN 14.50 -14.45 450 Senegal
SO 5.15 46.20 1000 Somalia
SR 3.92 -56.03 - Suriname
SS 6.88 31.31 700 South Sudan
ST 0.19 6.61 - São Tomé and Príncipe|Sao Tome and Principe
SV 13.79 -88.90 - El Salvador
SX 18.04 -63.07 - Sint Maarten
SY 34.80 39.00 450 Syria|Syrian Arab Republic
SZ -26.52 31.47 - Eswatini|Swaziland
TC 21.69 -71.80 - Turks and Caicos Islands
TD 15.45 18.73 1000 Chad
TG 8.62 0.82 350 Togo
TH 15.87 100.99 900 Thailand
TJ 38.86 71.28 400 Tajikistan
TL -8.87 125.73 - Timor-Leste|East Timor
TM 38.97 59.56 700 Turkmenistan
TN 33.89 9.54 450 Tunisia
TO -21.18 -175.20 - Tonga
TR 38.96 35.24 900 Turkey|Türkiye|Turkiye
TT 10.69 -61.22 - Trinidad and Tobago
TV -7.11 177.65 - Tuvalu
TW 23.70 120.96 - Taiwan
TZ -6.37 34.89 800 Tanzania|United Republic of Tanzania|Tanzania, United Republic of
UA 48.38 31.17 900 Ukraine
UG 1.37 32.29 400 Uganda
US 37.09 -95.71 2500 United States|United States of America|USA
UY -32.52 -55.77 350 Uruguay
UZ 41.38 64.59 800 Uzbekistan
VA 41.90 12.45 - Vatican City|Holy See
VC 12.98 -61.29 - Saint Vincent and the Grenadines
VE 6.42 -66.59 800 Venezuela|Venezuela, Bolivarian Republic of
VG 18.42 -64.64 - British Virgin Islands
VI 18.34 -64.90 - U.S. Virgin Islands|US Virgin Islands
VN 14.06 108.28 1000 Vietnam|Viet Nam
VU -15.38 166.96 500 Vanuatu
WF -13.77 -177.16 - Wallis and Futuna
WS -13.76 -172.10 - Samoa
XK 42.60 20.90 - Kosovo
YE 15.55 48.52 800 Yemen
YT -12.83 45.17 - Mayotte
ZA -30.56 22.94 1000 South Africa
ZM -13.13 27.85 700 Zambia
ZW -19.02 29.15 500 Zimbabwe
"""


def countries() -> list[dict[str, Any]]:
    """Every country: code, name, latitude, longitude, radius_km."""
    rows = []
    for line in _COUNTRIES.strip().splitlines():
        code, lat, lon, radius, names = line.split(" ", 4)
        rows.append(
            {
                "code": code,
                "name": names.split("|")[0],
                "latitude": float(lat),
                "longitude": float(lon),
                "radius_km": DEFAULT_RADIUS_KM if radius == "-" else int(radius),
                "names": names.split("|"),
            }
        )
    return rows


@cache
def _lookup_arrow() -> pa.Table:
    rows = []
    for c in countries():
        for key in [c["code"], *(n.lower() for n in c["names"])]:
            rows.append(
                {k: c[k] for k in ("code", "name", "latitude", "longitude", "radius_km")} | {"key": key}
            )
    return pa.Table.from_pylist(rows)


def country_lookup() -> ir.Table:
    """``key`` (an upper-case code or a lower-case name) → code, name, latitude, longitude, radius_km."""
    return ibis.memtable(_lookup_arrow())


def country_key(country: ir.StringValue) -> ir.StringValue:
    """The lookup key of a country field: the code in upper case, or the name in lower case."""
    text = country.strip()
    return (text.length() == 2).ifelse(text.upper(), text.lower())


def locate(t: ir.Table) -> ir.Table:
    """``t`` (with ``latitude``, ``longitude``, ``country``) with the sign-in's place: ``lat``, ``lon``,
    ``radius_km`` (0 for coordinates) and ``country_code`` (the code when the country is known, else the
    field as given). Rows whose place is unknown keep null ``lat``/``lon``."""
    c = country_lookup().rename(c_code="code", c_lat="latitude", c_lon="longitude", c_radius="radius_km")
    c = c.select("key", "c_code", "c_lat", "c_lon", "c_radius")
    with_key = t.mutate(_country_key=country_key(t.country))
    joined = with_key.left_join(c, with_key._country_key == c.key).drop("key", "_country_key")
    has_point = (
        joined.latitude.notnull()
        & joined.longitude.notnull()
        & ~((joined.latitude == 0) & (joined.longitude == 0))
        & (joined.latitude.abs() <= 90)
        & (joined.longitude.abs() <= 180)
    )
    located = joined.mutate(
        lat=has_point.ifelse(joined.latitude, joined.c_lat),
        lon=has_point.ifelse(joined.longitude, joined.c_lon),
        radius_km=has_point.ifelse(0, joined.c_radius.fill_null(DEFAULT_RADIUS_KM)),
        country_code=joined.c_code.fill_null(joined.country.strip().nullif("")),
    )
    return located.drop("c_code", "c_lat", "c_lon", "c_radius")


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> ir.FloatingValue:
    """Great-circle distance in km between two points given in degrees (Ibis expressions)."""
    dlat = ((lat2 - lat1) / 2).radians().sin()
    dlon = ((lon2 - lon1) / 2).radians().sin()
    a = dlat * dlat + lat1.radians().cos() * lat2.radians().cos() * dlon * dlon
    return 2 * EARTH_RADIUS_KM * a.sqrt().clip(upper=1.0).asin()


@cache
def _names() -> dict[str, str]:
    return {c["code"]: c["name"] for c in countries()}


_WITH_THE = ("United ", "Republic of", "Czech", "Dominican", "Central African", "Netherlands", "Philippines")


def country_name(code: str | None) -> str:
    """``the Netherlands`` for ``NL``, ``Germany`` for ``DE``; the text itself when it is not a code."""
    if not code:
        return "an unknown country"
    name = _names().get(code, code)
    if name.startswith(_WITH_THE) or name.endswith(("Islands", "Bahamas", "Gambia", "Maldives", "Comoros")):
        return "the " + name
    return name
