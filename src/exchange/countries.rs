//! Country names as CDP writes them, mapped to ISO 3166-1 alpha-2 codes, with a rough
//! bounding box of each country (degrees: south, north, west, east) to notice
//! coordinates that cannot be right. The boxes are deliberately generous: they only
//! raise warnings, never change data.

struct Country {
    names: &'static [&'static str],
    code: &'static str,
    bounds: (f64, f64, f64, f64),
}

const fn c(
    names: &'static [&'static str],
    code: &'static str,
    bounds: (f64, f64, f64, f64),
) -> Country {
    Country {
        names,
        code,
        bounds,
    }
}

#[rustfmt::skip]
const COUNTRIES: &[Country] = &[
    c(&["United States of America", "United States", "USA"], "US", (18.0, 72.0, -180.0, -65.0)),
    c(&["Brazil", "Brasil"], "BR", (-34.0, 5.5, -74.0, -28.0)),
    c(&["Portugal"], "PT", (32.0, 42.2, -31.5, -6.0)),
    c(&["Canada"], "CA", (41.6, 83.5, -141.0, -52.5)),
    c(&["Italy"], "IT", (35.4, 47.1, 6.6, 18.6)),
    c(&["Colombia"], "CO", (-4.3, 13.5, -82.0, -66.8)),
    c(&["Denmark"], "DK", (54.5, 57.8, 8.0, 15.2)),
    c(&["Mexico", "México"], "MX", (14.5, 32.8, -118.5, -86.7)),
    c(&["United Kingdom of Great Britain and Northern Ireland", "United Kingdom", "UK"], "GB", (49.8, 60.9, -8.7, 1.8)),
    c(&["South Africa"], "ZA", (-35.0, -22.1, 16.4, 33.0)),
    c(&["Sweden"], "SE", (55.3, 69.1, 11.0, 24.2)),
    c(&["Chile"], "CL", (-56.0, -17.5, -75.7, -66.4)),
    c(&["Germany"], "DE", (47.2, 55.1, 5.8, 15.1)),
    c(&["Peru"], "PE", (-18.4, 0.0, -81.4, -68.6)),
    c(&["Australia"], "AU", (-44.0, -10.0, 113.0, 154.0)),
    c(&["Argentina"], "AR", (-55.1, -21.7, -73.6, -53.6)),
    c(&["Taiwan, Greater China", "Taiwan"], "TW", (21.9, 26.4, 118.1, 122.1)),
    c(&["China"], "CN", (18.0, 53.6, 73.5, 135.1)),
    c(&["Spain"], "ES", (27.6, 43.8, -18.2, 4.4)),
    c(&["Norway"], "NO", (57.9, 71.2, 4.5, 31.1)),
    c(&["India"], "IN", (6.7, 35.5, 68.1, 97.4)),
    c(&["Finland"], "FI", (59.8, 70.1, 20.5, 31.6)),
    c(&["Ecuador"], "EC", (-5.0, 1.5, -92.0, -75.2)),
    c(&["Poland"], "PL", (49.0, 54.9, 14.1, 24.2)),
    c(&["Mozambique"], "MZ", (-26.9, -10.5, 30.2, 40.9)),
    c(&["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"], "CI", (4.3, 10.8, -8.6, -2.5)),
    c(&["New Zealand"], "NZ", (-47.3, -34.4, 166.4, 178.6)),
    c(&["Lithuania"], "LT", (53.9, 56.5, 21.0, 26.9)),
    c(&["Turkey", "Türkiye"], "TR", (35.8, 42.1, 26.0, 44.8)),
    c(&["France"], "FR", (41.3, 51.1, -5.2, 9.6)),
    c(&["Netherlands"], "NL", (50.7, 53.6, 3.3, 7.3)),
    c(&["Cameroon"], "CM", (1.6, 13.1, 8.5, 16.2)),
    c(&["Estonia"], "EE", (57.5, 59.7, 21.7, 28.3)),
    c(&["Switzerland"], "CH", (45.8, 47.9, 5.9, 10.5)),
    c(&["Bulgaria"], "BG", (41.2, 44.3, 22.3, 28.7)),
    c(&["Costa Rica"], "CR", (8.0, 11.3, -86.0, -82.5)),
    c(&["Bolivia (Plurinational State of)", "Bolivia"], "BO", (-22.9, -9.6, -69.7, -57.4)),
    c(&["Latvia"], "LV", (55.6, 58.1, 20.9, 28.3)),
    c(&["Nigeria"], "NG", (4.2, 13.9, 2.6, 14.7)),
    c(&["Japan"], "JP", (24.0, 45.6, 122.9, 146.0)),
    c(&["Romania"], "RO", (43.6, 48.3, 20.2, 29.7)),
    c(&["Republic of Korea", "South Korea", "Korea, Republic of"], "KR", (33.0, 38.7, 124.6, 131.9)),
    c(&["Kenya"], "KE", (-4.7, 5.1, 33.9, 41.9)),
    c(&["Philippines"], "PH", (4.6, 21.1, 116.9, 126.6)),
    c(&["Malawi"], "MW", (-17.2, -9.3, 32.6, 36.0)),
    c(&["Greece"], "GR", (34.8, 41.8, 19.3, 29.7)),
    c(&["Guatemala"], "GT", (13.7, 17.9, -92.3, -88.2)),
    c(&["Morocco"], "MA", (27.6, 36.0, -13.2, -1.0)),
    c(&["Honduras"], "HN", (12.9, 16.6, -89.4, -83.1)),
    c(&["Panama"], "PA", (7.2, 9.7, -83.1, -77.1)),
    c(&["Democratic Republic of the Congo"], "CD", (-13.5, 5.4, 12.2, 31.3)),
    c(&["Zimbabwe"], "ZW", (-22.5, -15.6, 25.2, 33.1)),
    c(&["Viet Nam", "Vietnam"], "VN", (8.4, 23.4, 102.1, 109.5)),
    c(&["Indonesia"], "ID", (-11.0, 6.0, 95.0, 141.0)),
    c(&["Iceland"], "IS", (63.3, 66.6, -24.6, -13.4)),
    c(&["United Republic of Tanzania", "Tanzania"], "TZ", (-11.8, -1.0, 29.3, 40.5)),
    c(&["Namibia"], "NA", (-29.0, -16.9, 11.7, 25.3)),
    c(&["Zambia"], "ZM", (-18.1, -8.2, 22.0, 33.7)),
    c(&["Jordan"], "JO", (29.2, 33.4, 34.9, 39.3)),
    c(&["El Salvador"], "SV", (13.1, 14.5, -90.2, -87.6)),
    c(&["Sierra Leone"], "SL", (6.9, 10.0, -13.4, -10.2)),
    c(&["United Arab Emirates"], "AE", (22.6, 26.1, 51.5, 56.4)),
    c(&["Paraguay"], "PY", (-27.6, -19.3, -62.7, -54.2)),
    c(&["Malaysia"], "MY", (0.8, 7.4, 99.6, 119.3)),
    c(&["Uruguay"], "UY", (-35.0, -30.0, -58.5, -53.0)),
    c(&["Senegal"], "SN", (12.3, 16.7, -17.6, -11.3)),
    c(&["Georgia"], "GE", (41.0, 43.6, 40.0, 46.7)),
    c(&["Israel"], "IL", (29.4, 33.4, 34.2, 35.9)),
    c(&["Madagascar"], "MG", (-25.7, -11.9, 43.2, 50.5)),
    c(&["Bangladesh"], "BD", (20.6, 26.7, 88.0, 92.7)),
    c(&["Montenegro"], "ME", (41.8, 43.6, 18.4, 20.4)),
    c(&["State of Palestine", "Palestine"], "PS", (31.2, 32.6, 34.2, 35.6)),
    c(&["Burundi"], "BI", (-4.5, -2.3, 29.0, 30.9)),
    c(&["Gibraltar"], "GI", (36.1, 36.2, -5.4, -5.3)),
    c(&["Serbia"], "RS", (42.2, 46.2, 18.8, 23.0)),
    c(&["Slovenia"], "SI", (45.4, 46.9, 13.4, 16.6)),
    c(&["Togo"], "TG", (6.1, 11.2, -0.2, 1.8)),
    c(&["Singapore"], "SG", (1.2, 1.5, 103.6, 104.1)),
    c(&["Albania"], "AL", (39.6, 42.7, 19.3, 21.1)),
    c(&["Russian Federation", "Russia"], "RU", (41.2, 82.0, 19.6, 180.0)),
    c(&["Tunisia"], "TN", (30.2, 37.6, 7.5, 11.6)),
    c(&["China, Hong Kong Special Administrative Region", "Hong Kong"], "HK", (22.1, 22.6, 113.8, 114.5)),
    c(&["Ethiopia"], "ET", (3.4, 14.9, 33.0, 48.0)),
    c(&["Pakistan"], "PK", (23.6, 37.1, 60.9, 77.8)),
    c(&["Thailand"], "TH", (5.6, 20.5, 97.3, 105.7)),
    c(&["Ghana"], "GH", (4.7, 11.2, -3.3, 1.2)),
    c(&["Monaco"], "MC", (43.72, 43.76, 7.4, 7.44)),
    c(&["Comoros"], "KM", (-12.5, -11.3, 43.2, 44.6)),
    // not in the 2018 file, but in CDP's later years or likely to be
    c(&["Austria"], "AT", (46.4, 49.1, 9.5, 17.2)),
    c(&["Belgium"], "BE", (49.5, 51.5, 2.5, 6.4)),
    c(&["Ireland"], "IE", (51.4, 55.4, -10.5, -6.0)),
    c(&["Czechia", "Czech Republic"], "CZ", (48.5, 51.1, 12.1, 18.9)),
    c(&["Hungary"], "HU", (45.7, 48.6, 16.1, 22.9)),
    c(&["Slovakia"], "SK", (47.7, 49.6, 16.8, 22.6)),
    c(&["Croatia"], "HR", (42.4, 46.6, 13.5, 19.5)),
    c(&["Ukraine"], "UA", (44.4, 52.4, 22.1, 40.2)),
    c(&["Egypt"], "EG", (22.0, 31.7, 24.7, 36.9)),
    c(&["Uganda"], "UG", (-1.5, 4.2, 29.6, 35.0)),
    c(&["Rwanda"], "RW", (-2.9, -1.0, 28.9, 30.9)),
    c(&["Dominican Republic"], "DO", (17.5, 19.95, -72.0, -68.3)),
    c(&["Nepal"], "NP", (26.3, 30.5, 80.0, 88.2)),
    c(&["Sri Lanka"], "LK", (5.9, 9.9, 79.6, 81.9)),
    c(&["Luxembourg"], "LU", (49.4, 50.2, 5.7, 6.6)),
    c(&["Cyprus"], "CY", (34.5, 35.7, 32.2, 34.6)),
    c(&["Venezuela (Bolivarian Republic of)", "Venezuela"], "VE", (0.6, 12.2, -73.4, -59.8)),
    c(&["Nicaragua"], "NI", (10.7, 15.0, -87.7, -82.6)),
    c(&["Jamaica"], "JM", (17.7, 18.5, -78.4, -76.2)),
    c(&["Lebanon"], "LB", (33.0, 34.7, 35.1, 36.6)),
    c(&["Saudi Arabia"], "SA", (16.3, 32.2, 34.5, 55.7)),
    c(&["Qatar"], "QA", (24.4, 26.2, 50.7, 51.7)),
    c(&["Benin"], "BJ", (6.2, 12.4, 0.7, 3.9)),
    c(&["Burkina Faso"], "BF", (9.4, 15.1, -5.5, 2.4)),
    c(&["Botswana"], "BW", (-26.9, -17.8, 20.0, 29.4)),
    c(&["Angola"], "AO", (-18.1, -4.4, 11.6, 24.1)),
    c(&["Liberia"], "LR", (4.3, 8.6, -11.5, -7.4)),
    c(&["Mongolia"], "MN", (41.6, 52.2, 87.7, 119.9)),
    c(&["Kazakhstan"], "KZ", (40.5, 55.5, 46.5, 87.4)),
    c(&["Republic of Moldova", "Moldova"], "MD", (45.4, 48.5, 26.6, 30.2)),
    c(&["Bosnia and Herzegovina"], "BA", (42.5, 45.3, 15.7, 19.7)),
    c(&["North Macedonia"], "MK", (40.8, 42.4, 20.4, 23.1)),
    c(&["Armenia"], "AM", (38.8, 41.3, 43.4, 46.7)),
];

/// Degrees of slack around each box: the boxes are rough and cities sit on coasts.
const MARGIN: f64 = 1.5;

fn find(name: &str) -> Option<&'static Country> {
    let name = name.trim();
    COUNTRIES.iter().find(|c| {
        c.code.eq_ignore_ascii_case(name) || c.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    })
}

/// The ISO 3166-1 alpha-2 code of a country as CDP names it (or of a code itself).
pub fn iso_code(name: &str) -> Option<&'static str> {
    find(name).map(|c| c.code)
}

/// Whether a point lies in (or near) a country; None when the country's box is unknown.
pub fn contains(code: &str, latitude: f64, longitude: f64) -> Option<bool> {
    let country = COUNTRIES.iter().find(|c| c.code == code)?;
    let (south, north, west, east) = country.bounds;
    Some(
        (south - MARGIN..=north + MARGIN).contains(&latitude)
            && (west - MARGIN..=east + MARGIN).contains(&longitude),
    )
}
