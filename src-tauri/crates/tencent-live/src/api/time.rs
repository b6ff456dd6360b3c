//! The API's time strings. Rules and domains come back either as RFC 3339 (`2022-05-16T10:59:38+08:00`)
//! or as Beijing local time (`2018-09-12 15:52:01`); the obsolete `0000-00-00 00:00:00` also occurs.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time string as received, with its meaning when it has one. Crosses to the UI as the string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct ApiTime {
    pub raw: String,
    pub parsed: Option<DateTime<FixedOffset>>,
}

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

impl ApiTime {
    pub fn parse(raw: &str) -> ApiTime {
        let trimmed = raw.trim();
        let parsed = DateTime::parse_from_rfc3339(trimmed).ok().or_else(|| {
            NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%d %H:%M:%S")
                .ok()
                .and_then(|naive| beijing().from_local_datetime(&naive).single())
        });
        ApiTime {
            raw: raw.to_owned(),
            parsed,
        }
    }

    /// Beijing time in the console's format, `YYYY-MM-DD hh:mm:ss`.
    pub fn from_unix(secs: i64) -> ApiTime {
        let dt = DateTime::from_timestamp(secs, 0)
            .unwrap_or_default()
            .with_timezone(&beijing());
        ApiTime {
            raw: dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            parsed: Some(dt),
        }
    }

    /// UTC in the form `YYYY-MM-DDThh:mm:ssZ`, which the delivery log accepts and then answers in.
    pub fn utc(secs: i64) -> ApiTime {
        let dt = DateTime::from_timestamp(secs, 0).unwrap_or_default().fixed_offset();
        ApiTime {
            raw: dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            parsed: Some(dt),
        }
    }

    /// Whether the text is RFC 3339 (`…T…Z` or with an offset) rather than Beijing local time.
    pub fn is_rfc3339(&self) -> bool {
        DateTime::parse_from_rfc3339(self.raw.trim()).is_ok()
    }

    pub fn unix(&self) -> Option<i64> {
        self.parsed.map(|t| t.timestamp())
    }
}

impl<'de> Deserialize<'de> for ApiTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = crate::lenient::string(d)?;
        Ok(ApiTime::parse(&raw))
    }
}

impl Serialize for ApiTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_mean_the_same_instant() {
        let a = ApiTime::parse("2022-05-16T10:59:38+08:00");
        let b = ApiTime::parse("2022-05-16 10:59:38");
        assert_eq!(a.unix(), Some(1652669978));
        assert_eq!(a.unix(), b.unix());
    }

    #[test]
    fn placeholders_keep_their_text() {
        let t = ApiTime::parse("0000-00-00 00:00:00");
        assert_eq!(t.parsed, None);
        assert_eq!(t.raw, "0000-00-00 00:00:00");
        assert_eq!(ApiTime::parse("").parsed, None);
    }

    #[test]
    fn utc_is_the_z_form() {
        let t = ApiTime::utc(1652669978);
        assert_eq!(t.raw, "2022-05-16T02:59:38Z");
        assert!(t.is_rfc3339());
        assert_eq!(ApiTime::parse(&t.raw).unix(), Some(1652669978));
        assert!(!ApiTime::from_unix(1652669978).is_rfc3339());
    }

    #[test]
    fn from_unix_is_beijing_time() {
        assert_eq!(ApiTime::from_unix(1652669978).raw, "2022-05-16 10:59:38");
    }
}
