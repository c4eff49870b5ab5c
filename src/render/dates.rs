//! Dates as pages, feeds and the export write them. Written by hand rather than through chrono's
//! `format`, which parses its pattern on every call: a site of ten thousand articles writes
//! dates a few hundred thousand times.

use chrono::{Datelike, Month, NaiveDate};

fn month_name(date: NaiveDate) -> &'static str {
    Month::try_from(date.month() as u8).map_or("", |m| m.name())
}

/// `2024-05-07`, as chrono's `%Y-%m-%d`.
pub fn iso(date: NaiveDate) -> String {
    if (0..=9999).contains(&date.year()) {
        format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
    } else {
        date.format("%Y-%m-%d").to_string()
    }
}

/// `7 May 2024`, as chrono's `%-d %B %Y`.
pub fn display(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date), year(date))
}

/// `May 2024`, as chrono's `%B %Y`.
pub fn month(date: NaiveDate) -> String {
    format!("{} {}", month_name(date), year(date))
}

/// `2024-05`, as chrono's `%Y-%m`.
pub fn month_key(date: NaiveDate) -> String {
    format!("{}-{:02}", year(date), date.month())
}

/// The year as chrono's `%Y` writes it: four digits at least, a sign outside 0 to 9999.
fn year(date: NaiveDate) -> String {
    if (0..=9999).contains(&date.year()) {
        format!("{:04}", date.year())
    } else {
        date.format("%Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dates_as_chrono_does() {
        for (y, m, d) in [
            (2024, 5, 7),
            (1999, 12, 31),
            (33, 1, 1),
            (12345, 6, 9),
            (-44, 3, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(display(date), date.format("%-d %B %Y").to_string());
            assert_eq!(month(date), date.format("%B %Y").to_string());
            assert_eq!(month_key(date), date.format("%Y-%m").to_string());
        }
    }
}
