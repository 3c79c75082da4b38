//! UTC calendar arithmetic for `X-Sdk-Date` and HTTP dates, without a date-time dependency.
//!
//! Days are converted with Howard Hinnant's `civil_from_days` / `days_from_civil` algorithms,
//! valid for the whole proleptic Gregorian calendar.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Converts days since 1970-01-01 into a (year, month 1-12, day 1-31) civil date.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Converts a civil date into days since 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats a time as the `X-Sdk-Date` value, `yyyyMMddTHHmmssZ` in UTC.
///
/// Times before 1970 are clamped to the epoch; the gateway rejects such dates anyway.
pub fn format_sdk_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses an `X-Sdk-Date` value (`yyyyMMddTHHmmssZ`).
pub fn parse_sdk_date(value: &str) -> Option<SystemTime> {
    let b = value.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let s = value.get(range)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    to_system_time(
        i64::from(num(0..4)?),
        num(4..6)?,
        num(6..8)?,
        num(9..11)?,
        num(11..13)?,
        num(13..15)?,
    )
}

fn to_system_time(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<SystemTime> {
    if !(0..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // Reject dates such as 31 February that roll over into the next month.
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    let secs = days
        .checked_mul(86_400)?
        .checked_add(i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second))?;
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

/// Exactly `width` ASCII digits (no sign, no spaces) as a number.
fn fixed_digits(text: &str, width: usize) -> Option<u32> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Parses an HTTP date in the IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`), the only
/// form RFC 9110 lets senders generate; the obsolete RFC 850 and asctime forms are not
/// accepted. Fields have their fixed widths (a four-digit year), so any input either parses to
/// a time between years 0 and 9999 or gives `None`; nothing overflows.
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let value = value.trim();
    let (weekday, rest) = value.split_once(", ")?;
    if !DAY_NAMES.contains(&weekday) {
        return None;
    }
    let mut parts = rest.split(' ');
    let day = fixed_digits(parts.next()?, 2)?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year = fixed_digits(parts.next()?, 4)?;
    let mut hms = parts.next()?.split(':');
    let hour = fixed_digits(hms.next()?, 2)?;
    let minute = fixed_digits(hms.next()?, 2)?;
    let second = fixed_digits(hms.next()?, 2)?;
    if hms.next().is_some() || parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    to_system_time(i64::from(year), month, day, hour, minute, second)
}

/// Formats a time as an IMF-fixdate HTTP date.
pub fn format_http_date(time: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let days = secs.div_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_date_matches_known_instants() {
        // 2006-01-02T15:04:05Z is the date of the vendor's Go signer test vectors.
        let t = UNIX_EPOCH + Duration::from_secs(1_136_214_245);
        assert_eq!(format_sdk_date(t), "20060102T150405Z");
        assert_eq!(parse_sdk_date("20060102T150405Z"), Some(t));
        assert_eq!(format_sdk_date(UNIX_EPOCH), "19700101T000000Z");
        // A leap day.
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(format_sdk_date(leap), "20000229T000000Z");
        assert_eq!(parse_sdk_date("20000230T000000Z"), None);
        assert_eq!(parse_sdk_date("2000-02-29T0000Z"), None);
    }

    #[test]
    fn round_trips_every_day_for_three_centuries() {
        for days in (-30_000..100_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn http_date_parses_imf_fixdate() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(784_111_777));
        assert_eq!(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(parse_http_date("soon"), None);
        assert_eq!(
            parse_http_date("  Thu, 01 Jan 1970 00:00:00 GMT "),
            Some(UNIX_EPOCH)
        );
        assert_eq!(
            parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(UNIX_EPOCH + Duration::from_secs(253_402_300_799))
        );
    }

    #[test]
    fn http_date_rejects_junk_without_panicking() {
        let junk = [
            "Sun, 06 Nov 1000000000000 08:49:37 GMT",
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
            "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
            "Sun, 06 Nov -1994 08:49:37 GMT",
            "Sun, 06 Nov +1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 19940 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 99 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 1900 00:00:00 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1969 23:59:59 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994  08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 November 1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 GMT\u{0}",
            "Sun, ０６ Nov 1994 08:49:37 GMT",
            ", ",
            "",
        ];
        for value in junk {
            assert_eq!(parse_http_date(value), None, "{value:?}");
        }
    }

    /// Every single-byte change of a valid date (including replacements with digits and
    /// separators) either parses to a sane time or is rejected; nothing panics.
    #[test]
    fn http_date_survives_mutations() {
        let base = "Sun, 06 Nov 1994 08:49:37 GMT";
        let replacements = b"0123456789 ,:-+GMTZ\t\xff";
        let mut seen = 0;
        for position in 0..base.len() {
            for &byte in replacements {
                let mut bytes = base.as_bytes().to_vec();
                bytes[position] = byte;
                let mutated = String::from_utf8_lossy(&bytes).into_owned();
                if let Some(time) = parse_http_date(&mutated) {
                    seen += 1;
                    let secs = time
                        .duration_since(UNIX_EPOCH)
                        .expect("after 1970")
                        .as_secs();
                    assert!(secs < 253_402_300_800, "{mutated:?}");
                }
                // Inserting or removing a byte, and long runs of digits.
                let mut longer = base.to_owned();
                longer.insert(position, byte as char);
                let _ = parse_http_date(&longer);
                let mut shorter = base.to_owned();
                shorter.remove(position);
                let _ = parse_http_date(&shorter);
                let _ = parse_http_date(&base.replace("1994", &"9".repeat(position + 1)));
            }
        }
        assert!(seen > 0);
    }
}
