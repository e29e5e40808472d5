//! The client of the Open-Meteo-style API: geocoding (`/v1/search`) turns a city name into
//! coordinates, then the forecast API (`/v1/forecast`) answers for those coordinates.

use std::time::Duration;

use mcp_sdk::{Error, Result, bail, ensure};
use reqwest::Url;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The variable that holds the forecast API's base URL.
pub const FORECAST_URL_VAR: &str = "WEATHER_API_URL";
/// The variable that holds the geocoding API's base URL.
pub const GEOCODING_URL_VAR: &str = "WEATHER_GEOCODING_URL";
/// The variable that holds the request timeout, in seconds.
pub const TIMEOUT_VAR: &str = "WEATHER_API_TIMEOUT_SECS";

/// The public Open-Meteo forecast API, over plain HTTP (see [`HTTPS_SUPPORTED`]).
pub const DEFAULT_FORECAST_URL: &str = "http://api.open-meteo.com";
/// The public Open-Meteo geocoding API, over plain HTTP.
pub const DEFAULT_GEOCODING_URL: &str = "http://geocoding-api.open-meteo.com";
/// How long a request may take, from connecting to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether the HTTP client can reach `https://` URLs. The workspace builds reqwest without a TLS
/// feature, so it cannot, and an `https://` base URL is refused at startup rather than failing on
/// every call. Give reqwest a TLS feature (e.g. `features = ["rustls"]`) and set this to `true`.
pub const HTTPS_SUPPORTED: bool = false;

/// The units of the numbers in a result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Units {
    // °C and km/h. (Plain comments: doc comments here would turn the schema's `enum` into `oneOf`.)
    #[default]
    Metric,
    // °F and mph.
    Imperial,
}

impl Units {
    /// Open-Meteo's `temperature_unit`.
    fn temperature_param(self) -> &'static str {
        match self {
            Units::Metric => "celsius",
            Units::Imperial => "fahrenheit",
        }
    }

    /// Open-Meteo's `wind_speed_unit`.
    fn wind_speed_param(self) -> &'static str {
        match self {
            Units::Metric => "kmh",
            Units::Imperial => "mph",
        }
    }

    fn temperature_label(self) -> String {
        match self {
            Units::Metric => "°C".into(),
            Units::Imperial => "°F".into(),
        }
    }

    fn wind_speed_label(self) -> String {
        match self {
            Units::Metric => "km/h".into(),
            Units::Imperial => "mph".into(),
        }
    }
}

/// A city the geocoding API found.
#[derive(Clone, Debug, Deserialize)]
pub struct Place {
    /// Its name, as the API spells it.
    pub name: String,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// Its country, when the API knows it.
    #[serde(default)]
    pub country: Option<String>,
}

/// The weather in a city now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CurrentWeather {
    /// The city's name, as the geocoding service spells it.
    pub city: String,
    /// Its country, when known.
    pub country: Option<String>,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// When the conditions were observed: local time, ISO 8601 without offset.
    pub time: String,
    /// Air temperature 2 m above ground, in `temperature_unit`.
    pub temperature: f64,
    /// "°C" or "°F".
    pub temperature_unit: String,
    /// Wind speed 10 m above ground, in `wind_speed_unit`.
    pub wind_speed: f64,
    /// "km/h" or "mph".
    pub wind_speed_unit: String,
    /// The units that were asked for.
    pub units: Units,
    /// The WMO weather code.
    pub weather_code: u8,
    /// What the weather code means, e.g. "Partly cloudy".
    pub description: String,
}

/// The forecast for a city, one entry per day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Forecast {
    /// The city's name, as the geocoding service spells it.
    pub city: String,
    /// Its country, when known.
    pub country: Option<String>,
    /// The units that were asked for.
    pub units: Units,
    /// "°C" or "°F".
    pub temperature_unit: String,
    /// "km/h" or "mph".
    pub wind_speed_unit: String,
    /// One entry per day, today first.
    pub days: Vec<DailyForecast>,
}

/// One day of a forecast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DailyForecast {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// The day's highest temperature.
    pub temperature_max: f64,
    /// The day's lowest temperature.
    pub temperature_min: f64,
    /// The day's strongest wind.
    pub wind_speed_max: f64,
    /// The WMO weather code of the day.
    pub weather_code: u8,
    /// What the weather code means.
    pub description: String,
}

#[derive(Deserialize)]
struct SearchResponse {
    /// Open-Meteo leaves `results` out when nothing matches.
    #[serde(default)]
    results: Vec<Place>,
}

#[derive(Deserialize)]
struct CurrentResponse {
    current: CurrentBlock,
}

#[derive(Deserialize)]
struct CurrentBlock {
    time: String,
    temperature_2m: f64,
    wind_speed_10m: f64,
    weather_code: u8,
}

#[derive(Deserialize)]
struct DailyResponse {
    daily: DailyBlock,
}

#[derive(Deserialize)]
struct DailyBlock {
    time: Vec<String>,
    weather_code: Vec<u8>,
    temperature_2m_max: Vec<f64>,
    temperature_2m_min: Vec<f64>,
    wind_speed_10m_max: Vec<f64>,
}

/// The HTTP client of the weather API, shared by every tool as `State<WeatherApi>`.
#[derive(Clone, Debug)]
pub struct WeatherApi {
    client: reqwest::Client,
    forecast_url: Url,
    geocoding_url: Url,
    timeout: Duration,
}

impl WeatherApi {
    /// A client of the APIs at these base URLs (`http://host[:port][/prefix][?query]`; a query,
    /// such as an `apikey`, is sent with every request), with the default timeout.
    pub fn new(forecast_url: &str, geocoding_url: &str) -> Result<Self> {
        Self::build(
            base_url("the forecast API URL", forecast_url)?,
            base_url("the geocoding API URL", geocoding_url)?,
        )
    }

    fn build(forecast_url: Url, geocoding_url: Url) -> Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| Error::from(e).context("building the HTTP client"))?;
        Ok(Self {
            client,
            forecast_url,
            geocoding_url,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same client with another request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The client the environment describes: [`FORECAST_URL_VAR`], [`GEOCODING_URL_VAR`] and
    /// [`TIMEOUT_VAR`], each optional. A bad value is an error that names the variable.
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables read by `var` (empty counts as unset).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let url = |name: &str, default: &str| {
            base_url(name, &var(name).unwrap_or_else(|| default.to_owned()))
        };
        let api = Self::build(
            url(FORECAST_URL_VAR, DEFAULT_FORECAST_URL)?,
            url(GEOCODING_URL_VAR, DEFAULT_GEOCODING_URL)?,
        )?;
        let Some(seconds) = var(TIMEOUT_VAR) else {
            return Ok(api);
        };
        let timeout = seconds
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| *s > 0.0)
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .ok_or_else(|| {
                Error::internal(format!(
                    "{TIMEOUT_VAR}={seconds:?} is not a positive number of seconds"
                ))
            })?;
        Ok(api.with_timeout(timeout))
    }

    /// The forecast API's base URL.
    pub fn forecast_url(&self) -> &Url {
        &self.forecast_url
    }

    /// The geocoding API's base URL.
    pub fn geocoding_url(&self) -> &Url {
        &self.geocoding_url
    }

    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The best match for `city`; not found is an error of kind `NotFound`, so a resource read
    /// answers "resource not found" and a tool call an error result the model reads.
    pub async fn locate(&self, city: &str) -> Result<Place> {
        let city = city.trim();
        ensure!(!city.is_empty(), InvalidParams: "city must not be empty");
        let url = endpoint(
            &self.geocoding_url,
            "search",
            &[
                ("name", city),
                ("count", "1"),
                ("language", "en"),
                ("format", "json"),
            ],
        );
        let found: SearchResponse = self.get_json("geocoding", url).await?;
        match found.results.into_iter().next() {
            Some(place) => Ok(place),
            None => {
                bail!(NotFound: "no city named {city:?} was found; check the spelling, or try a larger city nearby")
            }
        }
    }

    /// The weather at `place` now.
    pub async fn current(&self, place: &Place, units: Units) -> Result<CurrentWeather> {
        let url = self.forecast_endpoint(
            place,
            units,
            &[("current", "temperature_2m,wind_speed_10m,weather_code")],
        );
        let CurrentResponse { current } = self.get_json("forecast", url).await?;
        Ok(CurrentWeather {
            city: place.name.clone(),
            country: place.country.clone(),
            latitude: place.latitude,
            longitude: place.longitude,
            time: current.time,
            temperature: current.temperature_2m,
            temperature_unit: units.temperature_label(),
            wind_speed: current.wind_speed_10m,
            wind_speed_unit: units.wind_speed_label(),
            units,
            weather_code: current.weather_code,
            description: describe(current.weather_code),
        })
    }

    /// `days` days of forecast at `place`, today first.
    pub async fn forecast(&self, place: &Place, units: Units, days: u8) -> Result<Forecast> {
        let days_param = days.to_string();
        let url = self.forecast_endpoint(
            place,
            units,
            &[
                (
                    "daily",
                    "weather_code,temperature_2m_max,temperature_2m_min,wind_speed_10m_max",
                ),
                ("forecast_days", &days_param),
            ],
        );
        let DailyResponse { daily } = self.get_json("forecast", url).await?;
        let count = daily.time.len();
        let lengths = [
            daily.weather_code.len(),
            daily.temperature_2m_max.len(),
            daily.temperature_2m_min.len(),
            daily.wind_speed_10m_max.len(),
        ];
        if lengths.iter().any(|&length| length != count) {
            return Err(Error::internal(format!(
                "the forecast API sent daily series of different lengths: {count} dates, then {lengths:?}"
            )));
        }
        let entries = (0..count)
            .map(|day| DailyForecast {
                date: daily.time[day].clone(),
                temperature_max: daily.temperature_2m_max[day],
                temperature_min: daily.temperature_2m_min[day],
                wind_speed_max: daily.wind_speed_10m_max[day],
                weather_code: daily.weather_code[day],
                description: describe(daily.weather_code[day]),
            })
            .collect();
        Ok(Forecast {
            city: place.name.clone(),
            country: place.country.clone(),
            units,
            temperature_unit: units.temperature_label(),
            wind_speed_unit: units.wind_speed_label(),
            days: entries,
        })
    }

    fn forecast_endpoint(&self, place: &Place, units: Units, extra: &[(&str, &str)]) -> Url {
        let (latitude, longitude) = (place.latitude.to_string(), place.longitude.to_string());
        let mut query = vec![
            ("latitude", latitude.as_str()),
            ("longitude", longitude.as_str()),
        ];
        query.extend_from_slice(extra);
        query.extend([
            ("temperature_unit", units.temperature_param()),
            ("wind_speed_unit", units.wind_speed_param()),
            ("timezone", "auto"),
        ]);
        endpoint(&self.forecast_url, "forecast", &query)
    }

    /// GETs `url` and decodes its JSON body.
    ///
    /// A service that cannot be reached, times out or answers 5xx is an [`Error::tool`]: that is
    /// expected now and then, it is not a bug here, and the model can act on it (tell the user,
    /// try again later), so it reads a short reason. The URL stays out of that message (a base URL
    /// may carry an `apikey`); the server log gets the whole error. A 4xx or a body that does not
    /// decode means this server and the API disagree: a bug the model cannot fix by changing its
    /// arguments (they were all checked already), so those are internal errors.
    async fn get_json<T: DeserializeOwned>(&self, api: &str, url: Url) -> Result<T> {
        let response = self
            .client
            .get(url)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.unavailable(api, e))?;
        let status = response.status();
        if status.is_server_error() {
            tracing::warn!(%status, "the {api} API failed");
            bail!(
                "the weather service is unavailable: the {api} API answered {status}; try again later"
            );
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| self.unavailable(api, e))?;
        if !status.is_success() {
            let start = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
            return Err(Error::internal(format!(
                "the {api} API answered {status}: {start}"
            )));
        }
        serde_json::from_slice(&body).map_err(|e| {
            Error::from(e).context(format!(
                "decoding the {api} API's answer of {} bytes",
                body.len()
            ))
        })
    }

    /// The error for a request that got no answer.
    fn unavailable(&self, api: &str, error: reqwest::Error) -> Error {
        tracing::warn!(error = %chain(&error), "the {api} API did not answer");
        let reason = if error.is_timeout() {
            format!(
                "the {api} API did not answer within {} s",
                self.timeout.as_secs_f64()
            )
        } else if error.is_connect() {
            format!(
                "could not connect to the {api} API ({})",
                root_cause(&error)
            )
        } else {
            format!("the {api} API did not answer ({})", root_cause(&error))
        };
        Error::tool(format!(
            "the weather service is unavailable: {reason}; try again later"
        ))
    }
}

/// Checks a base URL; `what` names it in the error.
fn base_url(what: &str, value: &str) -> Result<Url> {
    // Internal: these errors stop the server at startup, where `main` prints them in full.
    let url = Url::parse(value.trim())
        .map_err(|e| Error::internal(format!("{what} {value:?} is not a URL: {e}")))?;
    match url.scheme() {
        "http" => Ok(url),
        "https" if HTTPS_SUPPORTED => Ok(url),
        "https" => Err(Error::internal(format!(
            "{what} is {value:?}, but this build's HTTP client has no TLS: use an http:// URL, or give \
             reqwest a TLS feature and set HTTPS_SUPPORTED (see examples/weather/README.md)"
        ))),
        other => Err(Error::internal(format!(
            "{what} {value:?} has scheme {other:?}; it must be http://"
        ))),
    }
}

/// `base` + `/v1/{name}`, keeping any path prefix and query the base has, plus `query`.
fn endpoint(base: &Url, name: &str, query: &[(&str, &str)]) -> Url {
    let mut url = base.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(["v1", name]);
    }
    url.query_pairs_mut().extend_pairs(query);
    url
}

/// The innermost cause, e.g. "Connection refused (os error 111)": says what happened without the URL.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// The whole chain, for the log.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(source) = cause {
        text.push_str(": ");
        text.push_str(&source.to_string());
        cause = source.source();
    }
    text
}

/// What a WMO weather code (as Open-Meteo sends it) means.
pub fn describe(code: u8) -> String {
    let text = match code {
        0 => "Clear sky",
        1 => "Mainly clear",
        2 => "Partly cloudy",
        3 => "Overcast",
        45 => "Fog",
        48 => "Depositing rime fog",
        51 => "Light drizzle",
        53 => "Moderate drizzle",
        55 => "Dense drizzle",
        56 => "Light freezing drizzle",
        57 => "Dense freezing drizzle",
        61 => "Slight rain",
        63 => "Moderate rain",
        65 => "Heavy rain",
        66 => "Light freezing rain",
        67 => "Heavy freezing rain",
        71 => "Slight snowfall",
        73 => "Moderate snowfall",
        75 => "Heavy snowfall",
        77 => "Snow grains",
        80 => "Slight rain showers",
        81 => "Moderate rain showers",
        82 => "Violent rain showers",
        85 => "Slight snow showers",
        86 => "Heavy snow showers",
        95 => "Thunderstorm",
        96 => "Thunderstorm with slight hail",
        99 => "Thunderstorm with heavy hail",
        other => return format!("Unknown weather (WMO code {other})"),
    };
    text.to_owned()
}
