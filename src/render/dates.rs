//! Dates as pages, feeds and the export write them. Written by hand rather than through chrono's
//! `format`, which parses its pattern on every call: a site of ten thousand articles writes
//! dates a few hundred thousand times.

use std::fmt;

use chrono::{Datelike, Month, NaiveDate};

fn month_name(date: NaiveDate) -> &'static str {
    Month::try_from(date.month() as u8).map_or("", |m| m.name())
}

/// `2024-05-07`, as chrono's `%Y-%m-%d`.
pub fn iso(date: NaiveDate) -> String {
    Iso(date).to_string()
}

/// `7 May 2024`, as chrono's `%-d %B %Y`.
pub fn display(date: NaiveDate) -> String {
    Long(date).to_string()
}

/// `May 2024`, as chrono's `%B %Y`.
pub fn month(date: NaiveDate) -> String {
    format!("{} {}", month_name(date), Year(date))
}

/// `2024-05`, as chrono's `%Y-%m`.
pub fn month_key(date: NaiveDate) -> String {
    format!("{}-{:02}", Year(date), date.month())
}

/// A date written as [`iso`] writes it, without a string made first.
pub struct Iso(pub NaiveDate);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.0;
        Year(date).fmt(f)?;
        f.write_str("-")?;
        write_digits(f, date.month(), 2)?;
        f.write_str("-")?;
        write_digits(f, date.day(), 2)
    }
}

/// A date written as [`display`] writes it, without a string made first.
pub struct Long(pub NaiveDate);

impl fmt::Display for Long {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.0;
        let day_width = if date.day() < 10 { 1 } else { 2 };
        write_digits(f, date.day(), day_width)?;
        f.write_str(" ")?;
        f.write_str(month_name(date))?;
        f.write_str(" ")?;
        Year(date).fmt(f)
    }
}

/// The year as chrono's `%Y` writes it: four digits at least, a sign outside 0 to 9999.
struct Year(NaiveDate);

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match u32::try_from(self.0.year()) {
            Ok(year) if year <= 9999 => write_digits(f, year, 4),
            _ => write!(f, "{}", self.0.format("%Y")),
        }
    }
}

/// Writes `number` (below 10 to the power `width`, `width` at most 4) in `width` digits, zeros in
/// front. By hand: `write!` with a padded width cost about a thousand instructions a date, and a
/// site writes a date for every quotation it lists.
fn write_digits(f: &mut fmt::Formatter<'_>, number: u32, width: usize) -> fmt::Result {
    let mut digits = [b'0'; 4];
    let mut rest = number;
    for digit in digits[..width].iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    // Only ASCII digits were written.
    f.write_str(std::str::from_utf8(&digits[..width]).unwrap_or_default())
}

/// Serialises an optional date as [`iso`] writes it (for a view's `serialize_with`).
pub fn serialize_iso<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize_shown(date.map(Iso), serializer)
}

/// Serialises an optional date as [`display`] writes it (for a view's `serialize_with`).
pub fn serialize_long<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize_shown(date.map(Long), serializer)
}

/// A date as its text, or none.
fn serialize_shown<S: serde::Serializer>(
    shown: Option<impl fmt::Display>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match shown {
        Some(shown) => serializer.collect_str(&shown),
        None => serializer.serialize_none(),
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
