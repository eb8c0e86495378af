"""Representative points of countries as GeoNames gives them (the countryInfo/features point).

countryinfo's `latlng` is a rounded centroid that for large countries lies hundreds of km from the
point GeoNames (and the geoparsing corpora annotated with it) uses: the United States at (38, -97)
against GeoNames' (39.76, -98.5). Where a country is listed here, this point wins.
"""

COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5), "GB": (54.75844, -2.69531), "IN": (22.0, 79.0), "AU": (-25.0, 135.0),
    "MX": (23.0, -102.0), "CA": (60.10867, -113.64258), "RU": (60.0, 100.0), "CN": (35.0, 105.0),
    "FR": (46.0, 2.0), "DE": (51.5, 10.5), "IL": (31.5, 34.75), "IQ": (33.0, 44.0), "IR": (32.0, 53.0),
    "AF": (33.0, 66.0), "PK": (30.0, 70.0), "EG": (27.0, 30.0), "SD": (15.0, 30.0), "BR": (-10.0, -55.0),
    "JP": (35.68536, 139.75309), "IT": (42.83333, 12.83333), "ES": (40.0, -4.0), "KR": (36.5, 127.75),
    "KP": (40.0, 127.0), "SY": (35.0, 38.0), "LB": (33.83333, 35.83333), "JO": (31.0, 36.0),
    "SA": (25.0, 45.0), "AZ": (40.5, 47.5), "AM": (40.25, 45.0), "GE": (42.0, 43.5), "TR": (39.0, 35.0),
    "UA": (49.0, 32.0), "IE": (53.0, -8.0), "ZA": (-29.0, 24.0), "NG": (10.0, 8.0), "KE": (1.0, 38.0),
    "SO": (6.0, 48.0), "LK": (7.75, 80.75), "NZ": (-42.0, 174.0), "PH": (13.0, 122.0), "ID": (-5.0, 120.0),
    "VN": (16.16667, 107.83333), "TH": (15.5, 101.0), "GR": (39.0, 22.0), "NL": (52.25, 5.75),
    "BE": (50.75, 4.5), "CH": (47.0, 8.0), "PL": (52.0, 20.0), "CU": (22.0, -79.5), "CO": (4.0, -73.25),
    "VE": (8.0, -66.0), "AR": (-34.0, -64.0), "CL": (-30.0, -71.0), "PE": (-10.0, -75.25), "LY": (28.0, 17.0),
    "YE": (15.5, 47.5), "PS": (32.0, 35.25), "KW": (29.5, 47.75), "QA": (25.5, 51.25), "AE": (24.0, 54.0),
    "NP": (28.0, 84.0), "BD": (24.0, 90.0), "MM": (22.0, 98.0), "ET": (8.0, 38.0), "SS": (8.0, 30.0),
}

# Territories and the state they belong to: Saipan in a US story is no namesake abroad (geo.resolve).
SOVEREIGN_OF: dict[str, str] = {
    **dict.fromkeys(("PR", "GU", "MP", "VI", "AS", "UM"), "US"),
    **dict.fromkeys(("GI", "BM", "KY", "VG", "FK", "IM", "JE", "GG", "TC", "MS", "AI", "SH", "IO"), "GB"),
    **dict.fromkeys(("GP", "MQ", "RE", "GF", "YT", "PM", "NC", "PF", "WF", "BL", "MF"), "FR"),
    **dict.fromkeys(("AW", "CW", "SX", "BQ"), "NL"), **dict.fromkeys(("GL", "FO"), "DK"),
    **dict.fromkeys(("CX", "CC", "NF"), "AU"), **dict.fromkeys(("CK", "NU", "TK"), "NZ"),
    **dict.fromkeys(("HK", "MO"), "CN"),
}
