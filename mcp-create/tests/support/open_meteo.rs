//! A fake of the Open-Meteo APIs the weather walkthrough's `get_forecast` calls: canned answers
//! in the real APIs' shape, served on a free local port (both APIs on one base URL).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// The city the fake knows; every other name is not found.
pub const CITY: &str = "Berlin";
/// Numbers only the fake gives: a test seeing them knows the forecast came from here.
pub const LOWS: [f64; 3] = [-3.7, -1.2, 0.4];
pub const HIGHS: [f64; 3] = [4.1, 6.8, 9.3];

const PLACE: &str = r#"{"results":[{"id":2950159,"name":"Berlin","latitude":52.52437,"longitude":13.41053,"elevation":74.0,"feature_code":"PPLC","country_code":"DE","timezone":"Europe/Berlin","population":3426354,"country":"Germany","admin1":"Land Berlin"}],"generationtime_ms":0.8}"#;
const NOWHERE: &str = r#"{"generationtime_ms":0.5}"#;

fn forecast() -> String {
    serde_json::json!({
        "latitude": 52.52, "longitude": 13.419998, "generationtime_ms": 0.05,
        "utc_offset_seconds": 3600, "timezone": "Europe/Berlin", "timezone_abbreviation": "GMT+1",
        "elevation": 38.0,
        "daily_units": {"time": "iso8601", "temperature_2m_min": "°C", "temperature_2m_max": "°C", "precipitation_sum": "mm"},
        "daily": {
            "time": ["2026-12-01", "2026-12-02", "2026-12-03"],
            "temperature_2m_min": LOWS,
            "temperature_2m_max": HIGHS,
            "precipitation_sum": [0.2, 2.5, 11.2],
        }
    })
    .to_string()
}

/// The answer to a request line's target (`/v1/search?name=Berlin&count=1`).
fn answer(target: &str) -> (u16, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let has = |pair: &str| query.split('&').any(|p| p == pair);
    match path {
        "/v1/search" if has(&format!("name={CITY}")) => (200, PLACE.into()),
        "/v1/search" => (200, NOWHERE.into()),
        // The forecast is for the place the geocoding answer gave.
        "/v1/forecast" if has("latitude=52.52437") && has("longitude=13.41053") => {
            (200, forecast())
        }
        _ => (
            400,
            r#"{"error":true,"reason":"not what the fake expects"}"#.into(),
        ),
    }
}

/// Starts the fake on a thread that lives as long as the test process; returns its base URL.
pub fn start() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let target = line.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = answer(target);
            let _ = write!(
                &stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}
